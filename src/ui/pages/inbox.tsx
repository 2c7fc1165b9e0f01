/** Inbox: deliveries and validation POSTs as they arrive, newest first. */
export function Inbox() {
  return (
    <>
      <div class="toolbar">
        <div class="field">
          <label for="inbox-filter">Inbox or webhook name</label>
          <input id="inbox-filter" autocomplete="off" placeholder="Every inbox" />
        </div>
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
    </>
  );
}
