// The demo identity providers' own pages (sign in, sign out), in Swedish as
// a city's provider would show them. Plain HTML: no app is loaded here.
import type { DemoUser } from './users';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #ccc}
label{display:block;margin-top:1rem;font-weight:600}
input,select,button{font:inherit;margin-top:.25rem;padding:.5rem;width:100%;box-sizing:border-box}
button{margin-top:1.5rem;background:#1e4b9b;color:#fff;border:0;border-radius:4px;cursor:pointer}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.error{color:#a4000f;font-weight:600}
</style>
</head>
<body><main>${body}</main></body>
</html>`;

export function loginPage(options: {
  municipality: string;
  users: readonly DemoUser[];
  /** Where the form posts: the interaction's own path. */
  action: string;
  failed?: boolean;
}): string {
  const choices = options.users
    .map((u) => `<option value="${escape(u.username)}">${escape(u.name)} (${escape(u.username)})</option>`)
    .join('');
  return page(
    `Logga in – ${options.municipality}`,
    `<h1>Logga in – ${escape(options.municipality)} (demo)</h1>
<p>Demoinloggning för ${escape(options.municipality)}s identitetsleverantör. Alla demoanvändare har lösenordet <strong>demo</strong>.</p>
${options.failed ? '<p class="error" role="alert">Fel användare eller lösenord.</p>' : ''}
<form method="post" action="${escape(options.action)}">
<label for="username">Användare</label>
<select id="username" name="username" autocomplete="username">${choices}</select>
<label for="password">Lösenord</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Logga in</button>
</form>`,
  );
}

/** Signing out needs no question in the demo: the form is sent at once (a button when scripts are off). */
export function logoutPage(form: string): string {
  return page(
    'Logga ut',
    `<h1>Loggar ut…</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<noscript><button type="submit" form="op.logoutForm">Logga ut</button></noscript>
<script>document.forms[0].submit()</script>`,
  );
}
