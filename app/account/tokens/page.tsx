// Your API tokens: create (the secret is shown once), see when each was last used, revoke.
import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { listApiTokens } from '@/lib/data/api-tokens/list-tokens';
import { formatDateTime } from '@/app/_components/format';
import { CreateTokenForm } from './create-token-form';
import { RevokeButton } from './revoke-button';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const user = await requirePageUser();
  const tokens = await listApiTokens(user.id);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>API tokens</h1>
      </div>
      <section className="card stack" aria-labelledby="new-token-title">
        <h2 id="new-token-title" className="card-title">
          Create a token
        </h2>
        <p className="muted">
          A token acts as you ({user.email}, {user.role}) from scripts and tools. Send it as{' '}
          <code>Authorization: Bearer hone_…</code>, for example <code>curl -H &quot;Authorization: Bearer $HONE_TOKEN&quot; …/api/me</code>.
        </p>
        <CreateTokenForm />
      </section>
      <section className="stack-sm" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">You have no API tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td className="mono">{t.prefix}…</td>
                    <td className="nowrap small">{formatDateTime(t.createdAt)}</td>
                    <td className="nowrap small">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
                    <td>
                      {t.revokedAt ? (
                        <span className="badge badge-danger">Revoked {formatDateTime(t.revokedAt).slice(0, 10)}</span>
                      ) : t.expiresAt && t.expiresAt < new Date().toISOString() ? (
                        <span className="badge badge-muted">Expired</span>
                      ) : (
                        <span className="badge badge-success">Active</span>
                      )}
                    </td>
                    <td>{!t.revokedAt && <RevokeButton id={t.id} name={t.name} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
