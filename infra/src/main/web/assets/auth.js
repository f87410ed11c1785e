// The signed-in session: a bearer token the API accepts, and what its claims allow.
// Kept in sessionStorage (one browser tab's life), never in localStorage.
const KEY = 'clientele.session';

function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(part)].map(c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** The current session ({token, tenantId, userId, role, scopes, expiresAt}), or null when signed out or expired. */
export function session() {
  let stored;
  try {
    stored = JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
  if (!stored || !stored.token) return null;
  const claims = claimsOf(stored.token);
  const expiresAt = stored.expiresAt ?? (claims.exp ? claims.exp * 1000 : null);
  if (expiresAt && expiresAt <= Date.now()) return null;
  return {
    token: stored.token,
    tenantId: claims.tenant_id ?? '',
    userId: claims.sub ?? '',
    role: claims.role ?? '',
    scopes: new Set(String(claims.scope ?? '').split(' ').filter(Boolean)),
    expiresAt,
  };
}

/** Whether the session's token carries {@code scope}: controls a role may not use are not offered. */
export function can(scope) {
  return session()?.scopes.has(scope) ?? false;
}

export function keepSession(token, expiresAt) {
  sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt: expiresAt ?? null }));
}

export function endSession() {
  sessionStorage.removeItem(KEY);
}
