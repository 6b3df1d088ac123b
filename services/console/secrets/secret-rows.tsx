import { formatExact, formatWhen } from '../ui/format-time';
import type { SecretRow } from './use-secret-pages';

/** The saved secrets of one page: metadata only, the value as its masked preview. */
export function SecretRows({ rows, emptyText }: { rows: SecretRow[]; emptyText: string }) {
  if (rows.length === 0) {
    return (
      <tbody>
        <tr>
          <td colSpan={7} className="empty">
            {emptyText}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {rows.map((secret) => (
        <tr key={secret.id} className={secret.systemManaged ? 'system-row' : undefined}>
          <th scope="row" className="key-cell">
            <span className="key">{secret.name}</span>
            {secret.displayName && secret.displayName !== secret.name && (
              <span className="display-name">{secret.displayName}</span>
            )}
            {secret.systemManaged && (
              <span className="tag tag-system">
                System-managed{secret.integration ? ` · ${secret.integration}` : ''} · read-only
              </span>
            )}
            {secret.members.length > 0 && <span className="tag">Restricted</span>}
          </th>
          <td>
            <code className="masked">{secret.maskedPreview}</code>
          </td>
          <td className="description">{secret.description}</td>
          <td className="numeric">{secret.version}</td>
          <td>
            <time dateTime={secret.updatedAt} title={formatExact(secret.updatedAt)}>
              {formatWhen(secret.updatedAt)}
            </time>
          </td>
          <td>
            {secret.lastUsedAt ? (
              <time dateTime={secret.lastUsedAt} title={formatExact(secret.lastUsedAt)}>
                {formatWhen(secret.lastUsedAt)}
              </time>
            ) : (
              <span className="muted">Never</span>
            )}
          </td>
          <td className="row-actions">
            <a className="button button-small" href={`#/secret/${encodeURIComponent(secret.id)}`}>
              Details<span className="sr-only"> of {secret.name}</span>
            </a>
          </td>
        </tr>
      ))}
    </tbody>
  );
}
