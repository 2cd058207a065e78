import http from "node:http";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";
import { gateAgent } from "./gate-agent.js";
import { sendByHeaders } from "./send-by.js";

export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Base URL of a Twilio-compatible API (the local emulator); unset means Twilio itself. */
  apiUrl?: string;
  /** Parallel sockets per host; the SDK's default of 20 caps parallel requests. */
  maxSockets?: number;
  timeoutMs?: number;
  /** Let the SDK retry HTTP 429 (20429) with full-jitter backoff. */
  autoRetry?: boolean;
  maxRetries?: number;
}

const DEFAULT_MAX_SOCKETS = 256;
const DEFAULT_TIMEOUT_MS = 15_000;
const TWILIO_ORIGIN = /^https:\/\/[a-z0-9.-]+\.twilio\.com(?=[/?]|$)/i;

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

export function rewriteTwilioUri(uri: string, apiUrl: string): string {
  return uri.replace(TWILIO_ORIGIN, apiUrl.replace(/\/+$/, ""));
}

class RedirectingRequestClient extends twilio.RequestClient {
  private readonly apiUrl: string | undefined;

  constructor(apiUrl: string | undefined, maxSockets: number, timeoutMs: number, opts: TwilioClientOptions) {
    super({
      keepAlive: true,
      maxSockets,
      maxTotalSockets: maxSockets,
      maxFreeSockets: maxSockets,
      timeout: timeoutMs,
      autoRetry: opts.autoRetry ?? false,
      maxRetries: opts.maxRetries,
    });
    this.apiUrl = apiUrl;
    // The SDK only builds an https agent; a plain-http emulator would otherwise get Node's global agent.
    this.axios.defaults.httpAgent = gateAgent(
      new http.Agent({
        keepAlive: true,
        maxSockets,
        maxTotalSockets: maxSockets,
        maxFreeSockets: maxSockets,
        timeout: timeoutMs,
      }),
    );
    // The SDK's own agent (its TLS options kept) refuses a call or message whose slot has passed (send-by.ts).
    gateAgent(this.axios.defaults.httpsAgent as http.Agent);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const headers = sendByHeaders(opts.headers);
    const uri = this.apiUrl === undefined ? opts.uri : rewriteTwilioUri(opts.uri, this.apiUrl);
    return super.request<TData>({ ...opts, uri, headers });
  }
}

export function createTwilioClient(opts: TwilioClientOptions): TwilioClient {
  const maxSockets = opts.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const httpClient = new RedirectingRequestClient(opts.apiUrl || undefined, maxSockets, timeoutMs, opts);
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}
