import { Field, FilterSelect } from "../fields.js";
/** Synthesize: the synthesizer's form, with progress for large runs. */
export function Synthesize() {
  return (
    <>
      <form id="synth-form" class="card filters">
        <FilterSelect id="s-org" name="org" label="Org" any="Every org" />
        <FilterSelect id="s-channel" name="channel" label="Webhook" any="Every webhook" />
        <Field for="s-days" label="Days back">
          <input id="s-days" name="days" type="number" min="0" max="3650" value="3" required aria-describedby="synth-estimate" />
        </Field>
        <Field for="s-runs" label="Runs per day">
          <input id="s-runs" name="runs_per_day" type="number" min="0" max="100000" value="8" required />
        </Field>
        <Field for="s-failure" label="Failure rate">
          <input id="s-failure" name="failure_rate" type="number" min="0" max="1" step="0.01" value="0.05" required />
        </Field>
        <Field for="s-retry" label="Retry rate">
          <input id="s-retry" name="retry_rate" type="number" min="0" max="1" step="0.01" value="0.1" required />
        </Field>
        <p id="synth-estimate" class="hint span-all" aria-live="polite" />
        <div class="actions">
          <button type="submit" class="primary">
            Synthesize
          </button>
        </div>
      </form>
      <section id="synth-progress" class="card" aria-labelledby="synth-progress-title" hidden>
        <h2 id="synth-progress-title">Progress</h2>
        <progress id="synth-bar" max="100" value="0" aria-labelledby="synth-progress-title" />
        <p id="synth-text" aria-live="polite" />
        <div id="synth-result" />
      </section>
    </>
  );
}
