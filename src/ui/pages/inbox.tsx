import { Field } from "../fields.js";
/** Inbox: deliveries and validation POSTs as they arrive, newest first; below, the e-mails schedule runs sent. */
export function Inbox() {
  return (
    <>
      <div class="toolbar">
        <Field for="inbox-filter" label="Inbox or webhook name">
          <input id="inbox-filter" autocomplete="off" placeholder="Every inbox" />
        </Field>
        <button type="button" id="inbox-clear" class="danger">
          Clear the inbox
        </button>
      </div>
      <p class="hint">
        Point a webhook at <code id="inbox-url">/_emulator/inbox/&lt;name&gt;</code> and its validations and deliveries arrive here over
        real HTTP. Posts to hosts the emulator does not call are kept too, marked simulated.
      </p>
      <p id="inbox-summary" aria-live="polite" />
      <ol id="inbox-list" class="messages plain" />
      <h2 id="outbox-heading">E-mails</h2>
      <div class="toolbar">
        <Field for="outbox-filter" label="Schedule id or name">
          <input id="outbox-filter" autocomplete="off" placeholder="Every schedule" />
        </Field>
        <button type="button" id="outbox-clear" class="danger">
          Clear the e-mails
        </button>
      </div>
      <p class="hint">
        Schedule runs of orgs whose LIVEBOARD_SCHEDULE channels include EMAIL send their e-mail here (captured, never sent).
      </p>
      <p id="outbox-summary" aria-live="polite" />
      <ol id="outbox-list" class="messages plain" aria-labelledby="outbox-heading" />
    </>
  );
}
