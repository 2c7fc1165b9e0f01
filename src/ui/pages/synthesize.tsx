/** Synthesize: the synthesizer's form, with progress for large runs. */
export function Synthesize() {
  return (
    <>
      <form id="synth-form" class="card filters">
        <div class="field">
          <label for="s-org">Org</label>
          <select id="s-org" name="org">
            <option value="">Every org</option>
          </select>
        </div>
        <div class="field">
          <label for="s-channel">Webhook</label>
          <select id="s-channel" name="channel">
            <option value="">Every webhook</option>
          </select>
        </div>
        <div class="field">
          <label for="s-days">Days back</label>
          <input id="s-days" name="days" type="number" min="0" max="3650" value="3" required aria-describedby="synth-estimate" />
        </div>
        <div class="field">
          <label for="s-runs">Runs per day</label>
          <input id="s-runs" name="runs_per_day" type="number" min="0" max="100000" value="8" required />
        </div>
        <div class="field">
          <label for="s-failure">Failure rate</label>
          <input id="s-failure" name="failure_rate" type="number" min="0" max="1" step="0.01" value="0.05" required />
        </div>
        <div class="field">
          <label for="s-retry">Retry rate</label>
          <input id="s-retry" name="retry_rate" type="number" min="0" max="1" step="0.01" value="0.1" required />
        </div>
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
