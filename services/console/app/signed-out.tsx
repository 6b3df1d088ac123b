/** What the console shows without a usable token: how to get one, never a field to paste it into a URL. */
export function SignedOut({ reason }: { reason: 'none' | 'invalid' | 'expired' | 'signed-out' }) {
  const lead = {
    none: 'Open the console from your platform, or in development from the sign-in link that npm start prints.',
    invalid:
      'The sign-in link does not hold a token the console can read. Open it again from where you got it.',
    expired: 'Your sign-in has expired. Open the console again from your sign-in link.',
    'signed-out': 'You are signed out. Open the console again from your sign-in link to continue.',
  }[reason];
  return (
    <main id="main" className="signed-out">
      <div className="panel">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Strongroom
        </span>
        <h1>Sign in</h1>
        <p>{lead}</p>
        <p className="muted">
          The link looks like <code>http://localhost:4000/#token=…</code>. The token stays in this tab only.
        </p>
      </div>
    </main>
  );
}
