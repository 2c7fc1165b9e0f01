import type { Child } from "hono/jsx";

/** Where the dashboard lives, and its assets (served from the package's dashboard/ folder). */
export const UI_BASE = "/_emulator/ui";
export const ASSETS = `${UI_BASE}/assets`;

/** The dashboard's pages: URL segment, title and the sentence under it. */
export const PAGES = [
  {
    id: "overview",
    path: "",
    title: "Overview",
    lead: "The namespace at a glance: orgs and their channels, counts, the clock, active scenarios.",
  },
  {
    id: "webhooks",
    path: "webhooks",
    title: "Webhooks",
    lead: "Each org's webhooks: create, edit, validate, and fire a Liveboard schedule delivery.",
  },
  {
    id: "schedules",
    path: "schedules",
    title: "Schedules",
    lead: "Each org's Liveboard schedules: their next run on the emulator clock, their last runs, Run now, Pause and Resume.",
  },
  {
    id: "history",
    path: "history",
    title: "History",
    lead: "Every delivery job within the retention period, filtered and paged on the server.",
  },
  { id: "inbox", path: "inbox", title: "Inbox", lead: "What webhooks pointed at the emulator's inbox received, as it arrives." },
  {
    id: "requests",
    path: "requests",
    title: "Requests",
    lead: "The request journal: the API calls the emulator answered and the calls it made.",
  },
  {
    id: "scenarios",
    path: "scenarios",
    title: "Scenarios",
    lead: "Faults and outcomes to script: switch them on for the namespace, or write rules inline.",
  },
  {
    id: "synthesize",
    path: "synthesize",
    title: "Synthesize",
    lead: "Fill the history with plausible past deliveries for a demo or a load test.",
  },
] as const;
export type PageId = (typeof PAGES)[number]["id"];

/**
 * The frame of every page: header (namespace picker, who is signed in, the live indicator), the
 * navigation, the page's main region, and the connect dialog. It holds no data: the page's script
 * fetches everything through the API and the admin routes, with the caller's credentials.
 */
export function Layout(props: { page: PageId; children: Child }) {
  const page = PAGES.find((p) => p.id === props.page)!;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${page.title} · ThoughtSpot channels emulator`}</title>
        <link rel="icon" href={`${ASSETS}/favicon.svg`} type="image/svg+xml" />
        <link rel="stylesheet" href={`${ASSETS}/app.css`} />
        <script type="module" src={`${ASSETS}/${page.id}.js`} />
      </head>
      <body data-page={page.id}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <p class="brand">
            ThoughtSpot channels emulator <span>dashboard</span>
          </p>
          <form id="ns-form" class="ns">
            <label for="ns">Namespace</label>
            <input id="ns" name="namespace" list="ns-list" autocomplete="off" spellcheck={false} required pattern="[A-Za-z0-9._\-]{1,64}" />
            <datalist id="ns-list" />
            <button type="submit">Open</button>
          </form>
          <p id="who" class="who" />
          <p id="live" class="live" data-state="off">
            Live updates: <span>connecting</span>
          </p>
        </header>
        <nav class="pages" aria-label="Dashboard pages">
          <ul>
            {PAGES.map((p) => (
              <li>
                <a href={`${UI_BASE}/${p.path}`} aria-current={p.id === page.id ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabindex={-1}>
          <h1>{page.title}</h1>
          <p class="lead">{page.lead}</p>
          {props.children}
        </main>
        <div id="toasts" class="toasts" role="status" aria-live="polite" />
        <ConnectDialog />
      </body>
    </html>
  );
}

/** Sign-in (a fixture user, through POST /auth/token/full) and, when the emulator has one, the admin token. */
function ConnectDialog() {
  return (
    <dialog id="connect" aria-labelledby="connect-title">
      <form id="connect-form" method="dialog">
        <h2 id="connect-title">Connect to the emulator</h2>
        <fieldset id="connect-user">
          <legend>Sign in as a ThoughtSpot user</legend>
          <p class="hint">
            The dashboard calls the same API your code does. The built-in fixtures have <code>tsadmin</code> / <code>admin</code>.
          </p>
          <label for="connect-username">Username</label>
          <input id="connect-username" name="username" autocomplete="username" value="tsadmin" />
          <label for="connect-password">Password</label>
          <input id="connect-password" name="password" type="password" autocomplete="current-password" />
        </fieldset>
        <fieldset id="connect-admin" hidden>
          <legend>Admin token</legend>
          <p class="hint">
            This emulator was started with <code>--admin-token</code>: its admin routes need that token.
          </p>
          <label for="connect-token">Admin token</label>
          <input id="connect-token" name="admin_token" type="password" autocomplete="off" />
        </fieldset>
        <p id="connect-error" class="error" role="alert" />
        <div class="actions">
          <button type="submit" class="primary">
            Connect
          </button>
        </div>
      </form>
    </dialog>
  );
}
