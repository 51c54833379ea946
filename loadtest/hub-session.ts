/**
 * One browser-like session with a JupyterHub: a cookie jar, the login form, the spawn, the OAuth
 * hand-off to the user's server, and @jupyterlab/services settings that carry the same cookies
 * (no token anywhere: the single-user server authenticates the browser by its OAuth cookie).
 */
import { ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';

export class HubError extends Error {}

/** Accept only loopback hub URLs: the load test never leaves this machine. */
export function localHubUrl(url: string): URL {
  let u: URL;
  try { u = new URL(url); } catch { throw new HubError(`loadtest: --url '${url}' is not a URL`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HubError(`loadtest: --url must be http(s), got '${u.protocol}'`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw new HubError(`loadtest: --url must be on this machine (127.0.0.1, localhost, [::1]), got '${u.hostname}'`);
  }
  return u;
}

export class HubSession {
  readonly cookies = new Map<string, string>();
  readonly base: string; // e.g. http://127.0.0.1:8000 (no trailing slash)

  constructor(hubUrl: URL, readonly user: string) {
    this.base = hubUrl.origin + hubUrl.pathname.replace(/\/+$/, '');
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response) {
    // Headers.getSetCookie (Node ≥ 19.7) keeps each Set-Cookie apart; the DOM lib types lack it
    for (const c of (res.headers as Headers & { getSetCookie(): string[] }).getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '""' || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** fetch with this session's cookies, following redirects by hand so every Set-Cookie lands. */
  async request(pathOrUrl: string, init: RequestInit = {}, follow = true): Promise<Response> {
    let url = new URL(pathOrUrl, this.base + '/').toString();
    for (let hop = 0; hop < 10; hop++) {
      const headers = new Headers(init.headers);
      headers.set('Cookie', this.cookieHeader());
      // JupyterHub and Notebook accept cookie-authenticated API calls from their own pages:
      // a Referer on the same host, and the _xsrf cookie echoed in X-XSRFToken.
      headers.set('Referer', this.base + '/hub/');
      const xsrf = this.cookies.get('_xsrf');
      if (xsrf) headers.set('X-XSRFToken', xsrf);
      const res = await fetch(url, { ...init, headers, redirect: 'manual' });
      this.keepCookies(res);
      const loc = res.headers.get('location');
      if (!follow || res.status < 300 || res.status >= 400 || !loc) return res;
      await res.arrayBuffer();
      url = new URL(loc, url).toString();
      if (res.status !== 307 && res.status !== 308) init = { ...init, method: 'GET', body: undefined };
    }
    throw new HubError(`${this.user}: too many redirects from ${pathOrUrl}`);
  }

  /** The login form, as a browser submits it (with its _xsrf field when the page has one). */
  async login(password: string): Promise<void> {
    const page = await this.request('hub/login');
    const html = await page.text();
    const form = new URLSearchParams({ username: this.user, password });
    const xsrf = /name="_xsrf"\s+value="([^"]+)"/.exec(html)?.[1];
    if (xsrf) form.set('_xsrf', xsrf);
    const res = await this.request('hub/login?next=', {
      method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }, false);
    await res.arrayBuffer();
    if (res.status !== 302 || ![...this.cookies.keys()].some((k) => k.startsWith('jupyterhub-session-id') || k === 'jupyterhub-hub-login')) {
      throw new HubError(`${this.user}: login refused (HTTP ${res.status})`);
    }
  }

  /** Ask for the server (POST /hub/api/users/NAME/server) and wait until the hub says it is ready. */
  async spawn(timeoutMs: number): Promise<void> {
    const api = `hub/api/users/${encodeURIComponent(this.user)}`;
    const res = await this.request(`${api}/server`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    const body = await res.text();
    if (res.status !== 201 && res.status !== 202 && !(res.status === 400 && /already running/.test(body))) {
      throw new HubError(`${this.user}: spawn refused (HTTP ${res.status}: ${body.slice(0, 200)})`);
    }
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const r = await this.request(api);
      if (r.status !== 200) throw new HubError(`${this.user}: GET ${api} → HTTP ${r.status}`);
      const info = await r.json() as { servers?: Record<string, { ready: boolean }> };
      if (info.servers?.['']?.ready) return;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    throw new HubError(`${this.user}: server not ready after ${timeoutMs} ms`);
  }

  /** Open the server's tree page: the OAuth hand-off sets the user cookie and Notebook's _xsrf. */
  async openServer(): Promise<string> {
    const res = await this.request(`user/${encodeURIComponent(this.user)}/tree`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new HubError(`${this.user}: GET /user/${this.user}/tree → HTTP ${res.status}`);
    if (!this.cookies.has(`jupyterhub-user-${this.user}`)) throw new HubError(`${this.user}: no server cookie after the OAuth hand-off`);
    return res.url;
  }

  /** @jupyterlab/services settings for this user's server, authenticated by the cookies. */
  serverSettings(): ServerConnection.ISettings {
    const session = this;
    const baseUrl = `${this.base}/user/${encodeURIComponent(this.user)}/`;
    class CookieWebSocket extends WebSocket {
      constructor(url: string) {
        // No subprotocols: the client offers the v1 kernel protocol, Notebook 6 answers with none;
        // a browser then connects with protocol '' but ws aborts ("Server sent no subprotocol")
        // and the client reconnects without them. Offering none gets the browser's result at once.
        super(url, [], { headers: { Cookie: session.cookieHeader(), Origin: new URL(session.base).origin } });
      }
    }
    const cookieFetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(input, init);
      return this.request(req.url, { method: req.method, headers: req.headers, body: req.body, duplex: 'half' } as RequestInit, false);
    };
    return ServerConnection.makeSettings({
      baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), appendToken: false, token: '',
      fetch: cookieFetch as typeof fetch, WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    });
  }

  /** Stop the user's server (DELETE /hub/api/users/NAME/server) and wait until it is gone. */
  async stop(timeoutMs: number): Promise<void> {
    const api = `hub/api/users/${encodeURIComponent(this.user)}`;
    const res = await this.request(`${api}/server`, { method: 'DELETE' });
    await res.arrayBuffer();
    if (res.status !== 204 && res.status !== 202) throw new HubError(`${this.user}: stop refused (HTTP ${res.status})`);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const info = await (await this.request(api)).json() as { servers?: Record<string, unknown> };
      if (!info.servers?.['']) return;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    throw new HubError(`${this.user}: server still running ${timeoutMs} ms after the stop`);
  }
}
