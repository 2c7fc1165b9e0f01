import type { Child } from "hono/jsx";

/**
 * A control with its label (the label names the control by its id: every control has one). `show`:
 * shown only while another control has one of these values ("auth:API_KEY", read by the page's script).
 */
export function Field(props: { for: string; label: string; show?: string | undefined; children: Child }) {
  return (
    <div class="field" data-show={props.show}>
      <label for={props.for}>{props.label}</label>
      {props.children}
    </div>
  );
}

/** A filter's select whose first option means "any"; the page's script adds the others. */
export function FilterSelect(props: { id: string; name: string; label: string; any: string }) {
  return (
    <Field for={props.id} label={props.label}>
      <select id={props.id} name={props.name}>
        <option value="">{props.any}</option>
      </select>
    </Field>
  );
}
