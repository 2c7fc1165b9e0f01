import { Field } from "../fields.js";
/** Webhooks: every org's webhooks as cards, and the create / edit form (a dialog) that calls the real API. */
export function Webhooks() {
  return (
    <>
      <div class="toolbar">
        <button type="button" id="new-webhook" class="primary">
          New webhook
        </button>
        <span class="hint">
          Validate runs <code>POST /system/communication-channels/validate</code>; Fire delivery runs one Liveboard schedule through{" "}
          <code>POST /_emulator/deliveries</code> and follows its job live.
        </span>
      </div>
      <div id="webhook-list" />
      <WebhookDialog />
    </>
  );
}

interface FieldProps {
  id: string;
  label: string;
  type?: string;
  required?: boolean;
  placeholder?: string;
  hint?: string;
  /** Shown only while a control has one of these values: "auth:API_KEY", "storage:AWS_S3 GCP_GCS". */
  show?: string;
}

function TextField(props: FieldProps) {
  return (
    <Field for={props.id} label={props.label} show={props.show}>
      <input
        id={props.id}
        name={props.id.replace(/^wh-/, "")}
        type={props.type ?? "text"}
        required={props.required}
        placeholder={props.placeholder}
        autocomplete="off"
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </Field>
  );
}

function WebhookDialog() {
  return (
    <dialog id="webhook-dialog" aria-labelledby="webhook-dialog-title" class="wide">
      <form id="webhook-form" novalidate>
        <h2 id="webhook-dialog-title">New webhook</h2>
        <div class="cols">
          <Field for="wh-org" label="Org">
            <select id="wh-org" name="org" required />
          </Field>
          <TextField id="wh-name" label="Name" required />
          <div class="field span2">
            <label for="wh-url">URL</label>
            <div class="row">
              <input id="wh-url" name="url" type="url" required autocomplete="off" aria-describedby="wh-url-hint" />
              <button type="button" id="wh-use-inbox">
                Use the inbox
              </button>
            </div>
            <small id="wh-url-hint" class="hint">
              The emulator's inbox is a real receiver: it checks the signature and keeps what arrives.
            </small>
          </div>
          <TextField id="wh-description" label="Description" />
          <Field for="wh-status" label="Status">
            <select id="wh-status" name="status">
              <option value="ENABLED">ENABLED</option>
              <option value="DISABLED">DISABLED</option>
            </select>
          </Field>
        </div>
        <fieldset>
          <legend>Authentication</legend>
          <div class="cols">
            <Field for="wh-auth" label="Type">
              <select id="wh-auth" name="auth">
                <option value="">None</option>
                <option value="BEARER_TOKEN">Bearer token</option>
                <option value="API_KEY">API key</option>
                <option value="BASIC_AUTH">Basic auth</option>
                <option value="OAUTH2">OAuth2 client credentials</option>
              </select>
            </Field>
            <TextField id="wh-bearer" label="Token" type="password" show="auth:BEARER_TOKEN" />
            <TextField id="wh-apikey-key" label="Header name" show="auth:API_KEY" placeholder="X-API-Key" />
            <TextField id="wh-apikey-value" label="Key" type="password" show="auth:API_KEY" />
            <TextField id="wh-basic-username" label="Username" show="auth:BASIC_AUTH" />
            <TextField id="wh-basic-password" label="Password" type="password" show="auth:BASIC_AUTH" />
            <TextField id="wh-oauth-url" label="Authorization URL" type="url" show="auth:OAUTH2" />
            <TextField id="wh-oauth-client" label="Client id" show="auth:OAUTH2" />
            <TextField id="wh-oauth-secret" label="Client secret" type="password" show="auth:OAUTH2" />
          </div>
          <p class="hint" id="wh-secret-hint" hidden>
            Secrets are shown as ***: leave a secret empty to keep the one stored.
          </p>
        </fieldset>
        <fieldset>
          <legend>Signature</legend>
          <div class="cols">
            <div class="field check">
              <input id="wh-sign" name="sign" type="checkbox" />
              <label for="wh-sign">Sign every POST (HMAC-SHA256)</label>
            </div>
            <TextField id="wh-sign-header" label="Header" placeholder="X-TS-Signature" show="sign:on" />
            <TextField id="wh-sign-secret" label="Secret" type="password" show="sign:on" />
          </div>
        </fieldset>
        <fieldset>
          <legend>Storage destination</legend>
          <div class="cols">
            <Field for="wh-storage" label="Type">
              <select id="wh-storage" name="storage">
                <option value="">None (the file goes in the POST)</option>
                <option value="AWS_S3">AWS S3</option>
                <option value="GCP_GCS">Google Cloud Storage</option>
              </select>
            </Field>
            <TextField id="wh-bucket" label="Bucket" show="storage:AWS_S3 GCP_GCS" />
            <TextField id="wh-region" label="Region" placeholder="us-east-1" show="storage:AWS_S3" />
            <TextField
              id="wh-role"
              label="Role ARN"
              placeholder="arn:aws:iam::123456789012:role/ThoughtSpotDelivery"
              show="storage:AWS_S3"
            />
            <TextField
              id="wh-external-id"
              label="External id (optional)"
              hint="Left empty: the org's ts-webhook-… id."
              show="storage:AWS_S3"
            />
            <TextField id="wh-service-account" label="Service account email" show="storage:GCP_GCS" />
            <TextField id="wh-prefix" label="Path prefix (optional)" placeholder="webhooks" show="storage:AWS_S3 GCP_GCS" />
          </div>
        </fieldset>
        <div class="cols">
          <Field for="wh-headers" label="Additional headers">
            <textarea id="wh-headers" name="headers" rows={3} spellcheck={false} aria-describedby="wh-headers-hint" />
            <small id="wh-headers-hint" class="hint">
              One per line: <code>Name: value</code>
            </small>
          </Field>
          <Field for="wh-params" label="URL parameters">
            <textarea id="wh-params" name="params" rows={3} spellcheck={false} aria-describedby="wh-params-hint" />
            <small id="wh-params-hint" class="hint">
              One per line: <code>name=value</code>
            </small>
          </Field>
        </div>
        <p id="webhook-error" class="error" role="alert" />
        <div class="actions">
          <button type="button" id="webhook-cancel">
            Cancel
          </button>
          <button type="submit" class="primary" id="webhook-submit">
            Create webhook
          </button>
        </div>
      </form>
    </dialog>
  );
}
