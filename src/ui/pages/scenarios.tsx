const EXAMPLE = `{
  "name": "inline",
  "description": "The receiver answers 503 twice, then the validations succeed",
  "rules": [
    { "match": { "hook": "validation.http" }, "times": 2, "outcome": { "http_status": 503 } }
  ]
}`;

/** Scenarios: the library with on/off switches and hit counters, and the inline rule editor. */
export function Scenarios() {
  return (
    <>
      <section class="card" aria-labelledby="sc-active">
        <h2 id="sc-active">Active in this namespace</h2>
        <p class="hint">Highest precedence first: the first matching rule wins.</p>
        <ol id="active-list" class="plain" />
      </section>
      <section class="card" aria-labelledby="sc-library">
        <h2 id="sc-library">Available scenarios</h2>
        <ul id="scenario-list" class="scenarios plain" />
      </section>
      <section class="card" aria-labelledby="sc-inline">
        <h2 id="sc-inline">Inline rules</h2>
        <p class="hint">
          Applying replaces the namespace's whole active set with these rules (<code>PUT /_emulator/scenarios/active</code>). A rule that
          does not fit its hook is refused with the JSON path and what was expected.
        </p>
        <form id="inline-form">
          <label for="inline-rules">Scenario (JSON)</label>
          <textarea id="inline-rules" name="rules" rows={12} spellcheck={false} class="code" aria-describedby="inline-error">
            {EXAMPLE}
          </textarea>
          <p id="inline-error" class="error" role="alert" />
          <div class="actions">
            <button type="submit" class="primary">
              Apply inline rules
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
