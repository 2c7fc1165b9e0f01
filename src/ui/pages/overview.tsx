/** Overview: the emulator, the clock, counts, orgs and their LIVEBOARD_SCHEDULE channels, active scenarios, reset. */
export function Overview() {
  return (
    <div class="grid">
      <section class="card" aria-labelledby="ov-emulator">
        <h2 id="ov-emulator">Emulator</h2>
        <dl id="facts" class="facts" />
      </section>
      <section class="card" aria-labelledby="ov-clock">
        <h2 id="ov-clock">Clock</h2>
        <p class="clock">
          <time id="clock-now">…</time> <span id="clock-state" class="badge" />
        </p>
        <form id="clock-advance" class="row">
          <label for="advance-amount">Advance by</label>
          <input id="advance-amount" name="amount" type="number" min="1" step="1" value="1" required class="narrow" />
          <label for="advance-unit" class="sr-only">
            Unit
          </label>
          <select id="advance-unit" name="unit">
            <option value="60000">minutes</option>
            <option value="3600000" selected>
              hours
            </option>
            <option value="86400000">days</option>
          </select>
          <button type="submit">Advance</button>
        </form>
        <div class="row">
          <button type="button" id="clock-retention">
            Advance past retention
          </button>
          <button type="button" id="clock-freeze">
            Freeze
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="ov-counts">
        <h2 id="ov-counts">Counts</h2>
        <dl id="counts" class="facts" />
      </section>
      <section class="card" aria-labelledby="ov-scenarios">
        <h2 id="ov-scenarios">Active scenarios</h2>
        <ul id="active-scenarios" class="plain" />
        <p>
          <a href="scenarios">Switch scenarios on or off</a>
        </p>
      </section>
      <section class="card wide" aria-labelledby="ov-orgs">
        <h2 id="ov-orgs">Orgs and their LIVEBOARD_SCHEDULE channels</h2>
        <p class="hint">
          An org without an override of its own gets the cluster value. A delivery reaches a webhook only when WEBHOOK is among its org's
          channels. Changes go through <code>POST /system/preferences/communication-channels/configure</code>.
        </p>
        <div class="table-wrap">
          <table id="orgs">
            <thead>
              <tr>
                <th scope="col">Org</th>
                <th scope="col">Id</th>
                <th scope="col">Channels in force</th>
                <th scope="col">From</th>
                <th scope="col">Webhooks</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody />
          </table>
        </div>
      </section>
      <section class="card wide" aria-labelledby="ov-reset">
        <h2 id="ov-reset">Reset</h2>
        <p>Puts the namespace back to its fixtures and start-up scenarios: webhooks, preferences, tokens, history, inbox and journal go.</p>
        <button type="button" id="reset" class="danger">
          Reset this namespace
        </button>
      </section>
    </div>
  );
}
