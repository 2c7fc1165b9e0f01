import { Field } from "../fields.js";
/** Requests: the journal, newest first, filtered on the server, with request and response bodies. */
export function Requests() {
  return (
    <>
      <form id="request-filters" class="filters">
        <Field for="r-operation" label="Operation">
          <input id="r-operation" name="operation" list="r-operations" autocomplete="off" placeholder="Any" />
          <datalist id="r-operations" />
        </Field>
        <Field for="r-method" label="Method">
          <select id="r-method" name="method">
            <option value="">Any</option>
            <option>GET</option>
            <option>POST</option>
            <option>PUT</option>
            <option>DELETE</option>
          </select>
        </Field>
        <Field for="r-path" label="Path">
          <input id="r-path" name="path" autocomplete="off" placeholder="/api/rest/2.0/webhooks/*" />
        </Field>
        <Field for="r-status" label="Status">
          <input id="r-status" name="status" type="number" min="0" max="599" />
        </Field>
        <Field for="r-kind" label="Kind">
          <select id="r-kind" name="kind">
            <option value="">Both</option>
            <option value="incoming">incoming (API calls)</option>
            <option value="outgoing">outgoing (webhook POSTs)</option>
          </select>
        </Field>
        <div class="actions">
          <button type="submit" class="primary">
            Apply
          </button>
          <button type="reset">Clear</button>
          <button type="button" id="journal-clear" class="danger">
            Empty the journal
          </button>
        </div>
      </form>
      <p id="requests-summary" aria-live="polite" />
      <ol id="request-list" class="entries plain" />
    </>
  );
}
