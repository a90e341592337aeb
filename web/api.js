// The PushResume API as the frontend uses it: JSON in and out, the JWT in the Authorization header.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function createApi(baseUrl, session) {
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = session.token();
    if (token) headers.Authorization = `JWT ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(new URL(path, baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'The service cannot be reached. Check your connection and try again.');
    }
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, payload?.message ?? `The service answered ${response.status}.`);
    return payload;
  }

  return {
    providers: () => request('GET', '/auth/providers'),
    authorizationUrl: provider => request('GET', `/auth/${encodeURIComponent(provider)}`),
    signIn: (provider, code, state) => request('POST', `/auth/${encodeURIComponent(provider)}`, { code, state }),
    refresh: () => request('GET', '/auth/refresh'),
    resumes: () => request('GET', '/resume'),
    setEnabled: (uniq, enabled) => request('POST', '/resume', { uniq, enabled }),
    deleteUser: () => request('DELETE', '/user'),
    stats: () => request('GET', '/stats'),
  };
}
