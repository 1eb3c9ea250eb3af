// /inbox/sign-in: redeems a sign-in link's token (#token=…), or offers one-click demo staff.
import { useEffect, useRef, useState } from 'react';
import { Avatar, Spinner } from '../ui';
import { demoSignIn, signInOptions, signInWithToken, tokenFromHash, type DemoOptions, type Outcome, type SignedIn } from './session';

export function SignInPage({ onSignedIn }: { onSignedIn(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoOptions | null | undefined>(undefined);
  const started = useRef<string | null>(null);

  const finish = (outcome: Outcome<SignedIn>) => {
    setBusy(false);
    if (outcome.ok) onSignedIn();
    else setError(outcome.message);
  };

  useEffect(() => {
    // A link's token, read once per token: on load, and when a link is opened in this same tab
    // while the page is shown (only the hash changes then, the page does not reload).
    const redeem = () => {
      const token = tokenFromHash(window.location.hash);
      if (!token || started.current === token) return;
      started.current = token;
      // The token is single use: take it out of the address bar (and history) before using it.
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      setError(null);
      setBusy(true);
      void signInWithToken(token).then(finish);
    };
    redeem();
    window.addEventListener('hashchange', redeem);
    void signInOptions().then((o) => setDemo(o.ok ? o.value.demo : null));
    return () => window.removeEventListener('hashchange', redeem);
  }, []);

  return (
    <main className="signin">
      <div className="signin-card">
        <span className="brand-mark" style={{ width: 36, height: 36, color: '#fff', fontWeight: 700 }}>
          Ω
        </span>
        <h1>Sign in to the inbox</h1>
        {error ? (
          <p className="signin-error" role="alert">
            {error}
          </p>
        ) : null}
        {busy ? (
          <p aria-live="polite">
            <Spinner label="Signing in" /> Signing you in…
          </p>
        ) : (
          <p>Open the sign-in link you were sent. Links work once and expire after a few minutes; ask your admin for a new one if yours has.</p>
        )}
        {demo ? (
          <section aria-labelledby="demo-title">
            <p id="demo-title">
              <strong>Demo:</strong> sign in to {demo.business_name} as
            </p>
            <div className="demo-list">
              {demo.staff.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  className="demo-btn"
                  disabled={busy}
                  onClick={() => {
                    setError(null);
                    setBusy(true);
                    void demoSignIn(s.id).then(finish);
                  }}
                >
                  <Avatar name={s.name} />
                  <span>
                    {s.name}
                    {s.role ? <span className="demo-role">{s.role}</span> : null}
                  </span>
                </button>
              ))}
            </div>
          </section>
        ) : null}
      </div>
    </main>
  );
}
