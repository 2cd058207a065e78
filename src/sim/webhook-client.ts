import http from "node:http";
import https from "node:https";
import { encodeForm } from "./form.ts";
import { twilioSignature } from "./signing.ts";

export type Params = Record<string, string>;

export interface WebhookResponse {
  status: number;
  body: string;
}

export interface WebhookClientOptions {
  authToken: string;
  sockets: number;
  timeoutMs: number;
  /** Public origin → origin actually connected to; the signature stays over the public URL. */
  originMap?: Readonly<Record<string, string>>;
  /** Public origin → an answer given in this process, with no request made (a benchmark's sink). */
  answerLocally?: Readonly<Record<string, LocalAnswer>>;
}

export type LocalAnswer = (url: URL, method: "GET" | "POST") => WebhookResponse;

export interface WebhookClient {
  /** Sends a signed, form-encoded webhook the way Twilio does and returns the response text. */
  send(url: string, method: "GET" | "POST", params: Params): Promise<WebhookResponse>;
  close(): void;
}

const MAX_BODY = 1024 * 1024;

export function createWebhookClient(opts: WebhookClientOptions): WebhookClient {
  const agentOpts = { keepAlive: true, maxSockets: opts.sockets, maxFreeSockets: opts.sockets };
  const httpAgent = new http.Agent(agentOpts);
  const httpsAgent = new https.Agent(agentOpts);
  const originMap = opts.originMap ?? {};

  function send(url: string, method: "GET" | "POST", params: Params): Promise<WebhookResponse> {
    const requestUrl = method === "GET" ? withQuery(url, params) : url;
    const publicUrl = new URL(requestUrl);
    const local = opts.answerLocally?.[publicUrl.origin];
    if (local) return Promise.resolve(local(publicUrl, method));
    const signature =
      method === "GET"
        ? twilioSignature(opts.authToken, requestUrl)
        : twilioSignature(opts.authToken, requestUrl, params);
    const body = method === "POST" ? encodeForm(params) : undefined;
    const target = originMap[publicUrl.origin] ? new URL(originMap[publicUrl.origin]) : publicUrl;
    const isHttps = target.protocol === "https:";
    const headers: http.OutgoingHttpHeaders = {
      "x-twilio-signature": signature,
      "user-agent": "TwilioProxy/1.1",
      accept: "*/*",
    };
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port || (isHttps ? 443 : 80),
          method,
          path: rawPath(requestUrl, publicUrl),
          headers,
          agent: isHttps ? httpsAgent : httpAgent,
          timeout: opts.timeoutMs,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (text.length < MAX_BODY) text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`webhook timed out after ${opts.timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function withQuery(url: string, params: Params): string {
  const query = encodeForm(params);
  if (query === "") return url;
  return url + (url.includes("?") ? "&" : "?") + query;
}

/** The path exactly as the URL spells it, so the bytes on the wire match the signed URL. */
function rawPath(url: string, parsed: URL): string {
  const afterScheme = url.indexOf("//") + 2;
  const slash = url.indexOf("/", afterScheme);
  const query = url.indexOf("?", afterScheme);
  const start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
  if (start < 0) return "/";
  const path = url.slice(start).replace(/#.*$/, "");
  if (/[^\x21-\x7e]/.test(path)) return parsed.pathname + parsed.search;
  return path.startsWith("?") ? `/${path}` : path;
}
