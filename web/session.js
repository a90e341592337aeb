// The API token and the sign-in state, kept for this tab only (sessionStorage): closing the tab signs out.

const TOKEN = 'pushresume.token';
const STATE = 'pushresume.state';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  save(token) { sessionStorage.setItem(TOKEN, token); },
  forget() { sessionStorage.removeItem(TOKEN); },

  // When the token expires, from its `exp` claim; the API signs it, the frontend only reads it.
  expiresAt() {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) return null;
    try {
      const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null;
    } catch {
      return null;
    }
  },

  rememberState(provider, state) { sessionStorage.setItem(STATE, JSON.stringify({ provider, state })); },
  takeState() {
    const saved = sessionStorage.getItem(STATE);
    sessionStorage.removeItem(STATE);
    try { return saved ? JSON.parse(saved) : null; } catch { return null; }
  },
};
