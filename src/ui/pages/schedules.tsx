import { FilterSelect } from "../fields.js";
/** Schedules: every Liveboard schedule of the namespace per org, its next run and last runs, Run now, Pause/Resume. */
export function Schedules() {
  return (
    <>
      <div class="toolbar">
        <FilterSelect id="sched-org" name="org" label="Org" any="Every org" />
        <p class="clock">
          Emulator clock: <time id="sched-clock">…</time>
        </p>
      </div>
      <p class="hint">
        Schedules are made through <code>POST /schedules/create</code> and fire on the emulator clock through their org's LIVEBOARD_SCHEDULE
        channels. Run now runs <code>POST /_emulator/schedules/&lt;id&gt;/run</code> (a paused schedule too); Pause and Resume call{" "}
        <code>POST /schedules/&lt;id&gt;/update</code>.
      </p>
      <p id="sched-summary" aria-live="polite" />
      <div id="sched-list" />
    </>
  );
}
