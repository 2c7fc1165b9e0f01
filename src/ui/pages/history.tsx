import { Field, FilterSelect } from "../fields.js";
/** History: the filters, the jobs-per-day chart (stacked by status) and the paged job table. */
export function History() {
  return (
    <>
      <form id="history-filters" class="filters">
        <FilterSelect id="f-org" name="org" label="Org" any="Every org" />
        <FilterSelect id="f-channel" name="channel" label="Webhook" any="Every webhook" />
        <Field for="f-status" label="Status">
          <select id="f-status" name="status">
            <option value="">Any status</option>
            <option>PENDING</option>
            <option>RETRY</option>
            <option>SUCCESS</option>
            <option>FAILED</option>
          </select>
        </Field>
        <Field for="f-event" label="Schedule">
          <input id="f-event" name="event" list="f-event-list" autocomplete="off" placeholder="Any schedule" />
          <datalist id="f-event-list" />
        </Field>
        <Field for="f-from" label="From">
          <input id="f-from" name="from" type="datetime-local" step="1" />
        </Field>
        <Field for="f-to" label="To">
          <input id="f-to" name="to" type="datetime-local" step="1" />
        </Field>
        <Field for="f-limit" label="Per page">
          <select id="f-limit" name="limit">
            <option>25</option>
            <option selected>50</option>
            <option>100</option>
            <option>250</option>
          </select>
        </Field>
        <div class="actions">
          <button type="submit" class="primary">
            Apply
          </button>
          <button type="reset">Clear</button>
        </div>
      </form>
      <section class="card" aria-labelledby="chart-title">
        <h2 id="chart-title">Jobs per day</h2>
        <p id="chart-summary" class="hint" />
        <div id="chart" class="chart" />
        <ul id="chart-legend" class="legend plain" />
        <details>
          <summary>The chart as a table</summary>
          <div class="table-wrap">
            <table id="chart-table" />
          </div>
        </details>
      </section>
      <section class="card" aria-labelledby="jobs-title">
        <h2 id="jobs-title">Jobs</h2>
        <p id="jobs-summary" aria-live="polite" />
        <div class="table-wrap">
          <table id="jobs">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Webhook</th>
                <th scope="col">Schedule</th>
                <th scope="col">Status</th>
                <th scope="col">Tries</th>
                <th scope="col">Detail</th>
                <th scope="col">Job id</th>
              </tr>
            </thead>
            <tbody />
          </table>
        </div>
        <nav class="pager" aria-label="Job pages">
          <button type="button" id="page-newer">
            ← Newer
          </button>
          <span id="page-info" />
          <button type="button" id="page-older">
            Older →
          </button>
        </nav>
      </section>
    </>
  );
}
