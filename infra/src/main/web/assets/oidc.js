// Sign-in at an OpenID Connect provider: the authorization code flow with PKCE (S256) and state,
// for a public client in the browser (no client secret). Browser APIs only: fetch, crypto.subtle,
// sessionStorage, history.
//
// config is the dashboard's config.json: {issuer, clientId, scope, tokenUse}. The redirect URI is
// the dashboard's root, location.origin + "/", which must be registered for the client at the
// provider. What is pending between the two halves (the PKCE verifier, the state, the route to
// return to) stays in this tab's sessionStorage and is removed when the provider answers.

const PENDING = "clientele.oidc";

/**
 * Starts a sign-in: reads the provider's discovery document, keeps a fresh verifier, state and
 * returnTo (the hash route to come back to), and sends the browser to the authorization endpoint.
 * The page is left: the returned promise resolves only if the navigation fails to happen.
 */
export async function startSignIn(config, returnTo) {
  const provider = await discover(config);
  const verifier = randomText(32);
  const state = randomText(16);
  const nonce = randomText(16);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo: returnTo || "" }));
  const url = new URL(provider.authorization_endpoint);
  const parameters = {
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope || "openid",
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [name, value] of Object.entries(parameters)) {
    url.searchParams.set(name, value);
  }
  location.assign(url.toString());
}

/**
 * Ends a sign-in when the provider sent the browser back: checks the state, exchanges the code at
 * the token endpoint with the PKCE verifier, and removes the provider's answer from the address bar.
 * Returns {token, expiresAt (epoch milliseconds, or null when unknown), returnTo}; the token is the
 * access token, or the id token when config.tokenUse is "id". Returns null when the address holds
 * no answer from the provider. Throws an Error saying what went wrong when the provider refused, the
 * state does not match the sign-in this tab started, or the code could not be exchanged.
 */
export async function finishSignIn(config) {
  const answer = new URLSearchParams(location.search);
  const code = answer.get("code");
  const error = answer.get("error");
  if (!code && !error) {
    return null;
  }
  // The answer is used once, whatever happens: a reload must not replay it.
  const pending = readPending();
  history.replaceState(history.state, "", location.pathname + location.hash);

  if (!pending || !answer.get("state") || answer.get("state") !== pending.state) {
    throw new Error("The sign-in answer does not belong to a sign-in started in this tab (state mismatch). Please sign in again.");
  }
  if (error) {
    throw new Error(`The identity provider refused the sign-in: ${describe(error, answer.get("error_description"))}.`);
  }

  const provider = await discover(config);
  let response;
  try {
    response = await fetch(provider.token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri(),
        client_id: config.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch (cause) {
    throw new Error(`The identity provider's token endpoint could not be reached (${cause.message}). Please try again.`);
  }
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok) {
    const reason = tokens.error ? describe(tokens.error, tokens.error_description) : `HTTP ${response.status}`;
    throw new Error(`The identity provider did not issue a token: ${reason}.`);
  }

  const useIdToken = config.tokenUse === "id";
  const token = useIdToken ? tokens.id_token : tokens.access_token;
  if (!token) {
    throw new Error(`The identity provider's answer holds no ${useIdToken ? "id_token" : "access_token"}.`);
  }
  const claims = payload(token);
  if (useIdToken && claims?.nonce !== pending.nonce) {
    throw new Error("The id token was not issued for this sign-in (nonce mismatch). Please sign in again.");
  }
  const lifetime = Number(tokens.expires_in);
  let expiresAt = null;
  if (!useIdToken && tokens.expires_in != null && Number.isFinite(lifetime)) {
    expiresAt = Date.now() + lifetime * 1000;
  } else if (Number.isFinite(claims?.exp)) {
    expiresAt = claims.exp * 1000;
  }
  return { token, expiresAt, returnTo: pending.returnTo };
}

/** The provider's discovery document, checked to be the configured issuer's (OpenID Connect Discovery 4.3). */
async function discover(config) {
  const issuer = String(config.issuer || "").replace(/\/+$/, "");
  if (!issuer) {
    throw new Error("The dashboard's configuration names no identity provider (issuer).");
  }
  let response;
  try {
    response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { Accept: "application/json" } });
  } catch (cause) {
    throw new Error(`The identity provider ${issuer} could not be reached (${cause.message}). Please try again.`);
  }
  const metadata = await response.json().catch(() => null);
  if (!response.ok || !metadata) {
    throw new Error(`The identity provider ${issuer} has no usable discovery document (HTTP ${response.status}).`);
  }
  if (String(metadata.issuer || "").replace(/\/+$/, "") !== issuer) {
    throw new Error(`The discovery document of ${issuer} names another issuer (${metadata.issuer}).`);
  }
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new Error(`The identity provider ${issuer} names no authorization or token endpoint.`);
  }
  return metadata;
}

function readPending() {
  const text = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function redirectUri() {
  return `${location.origin}/`;
}

function describe(error, description) {
  return description ? `${error} (${description})` : error;
}

/** A JWT's claims, or null when the token is not a JWT (an opaque access token). */
function payload(token) {
  const part = token.split(".")[1];
  if (!part) {
    return null;
  }
  try {
    const text = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** size random bytes as base64url: 32 make a 43-character PKCE verifier (RFC 7636 4.1). */
function randomText(size) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

function base64url(data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let text = "";
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
