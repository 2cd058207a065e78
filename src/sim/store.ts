import type { SimCall, SimMessage } from "./types.ts";

/** Internal view of a call: the public record plus bookkeeping never shown to tests. */
export interface CallRecord extends SimCall {
  /** Position in creation order; list paging tokens point at it. */
  seq: number;
  /** SequenceNumber of the next status callback. */
  callbackSeq: number;
  /** The call has ended and its final status callback has been delivered (or has failed). */
  settled?: boolean;
}

export type NewCall = Pick<
  CallRecord,
  "sid" | "accountSid" | "direction" | "to" | "from" | "request" | "status" | "createdAt"
> & {
  parentCallSid?: string;
};

export interface MessageRecord extends SimMessage {
  seq: number;
}

export interface RecordingRecord {
  callSid: string;
  seconds: number;
  createdAt: number;
}

/** Everything the network remembers, indexed the ways the REST list filters and tests look it up. */
export class SimStore {
  readonly calls = new Map<string, CallRecord>();
  readonly callOrder: CallRecord[] = [];
  readonly messages = new Map<string, MessageRecord>();
  readonly messageOrder: MessageRecord[] = [];
  /** Start times (epoch ms, fractional) of every call, in start order. */
  readonly starts: number[] = [];
  readonly recordings = new Map<string, RecordingRecord>();
  private readonly callsByTo = new Map<string, CallRecord | CallRecord[]>();
  private readonly messagesByTo = new Map<string, MessageRecord | MessageRecord[]>();

  addCall(call: NewCall): CallRecord {
    // Every field exists from the start, so all records share one shape (smaller, faster at 100k calls).
    const record: CallRecord = {
      sid: call.sid,
      accountSid: call.accountSid,
      direction: call.direction,
      to: call.to,
      from: call.from,
      parentCallSid: call.parentCallSid,
      request: call.request,
      status: call.status,
      createdAt: call.createdAt,
      updatedAt: call.createdAt,
      startedAt: undefined,
      answeredAt: undefined,
      endedAt: undefined,
      duration: undefined,
      queueTimeMs: 0,
      answeredBy: undefined,
      errorCode: undefined,
      errorMessage: undefined,
      transcript: [],
      seq: this.callOrder.length,
      callbackSeq: 0,
      settled: false,
    };
    this.callOrder.push(record);
    this.calls.set(record.sid, record);
    push(this.callsByTo, record.to, record);
    return record;
  }

  addMessage(message: Omit<MessageRecord, "seq">): MessageRecord {
    const record = message as MessageRecord;
    record.seq = this.messageOrder.length;
    this.messageOrder.push(record);
    this.messages.set(record.sid, record);
    push(this.messagesByTo, record.to, record);
    return record;
  }

  callsTo(phone: string): readonly CallRecord[] {
    return list(this.callsByTo.get(phone));
  }

  messagesTo(phone: string): readonly MessageRecord[] {
    return list(this.messagesByTo.get(phone));
  }

  clear(): void {
    this.calls.clear();
    this.callOrder.length = 0;
    this.messages.clear();
    this.messageOrder.length = 0;
    this.starts.length = 0;
    this.recordings.clear();
    this.callsByTo.clear();
    this.messagesByTo.clear();
  }
}

/** Most numbers get one call: they hold the record itself, and only a second call makes it a list. */
function push<T extends object>(index: Map<string, T | T[]>, key: string, value: T): void {
  const prev = index.get(key);
  if (prev === undefined) index.set(key, value);
  else if (Array.isArray(prev)) prev.push(value);
  else index.set(key, [prev, value]);
}

function list<T extends object>(entry: T | T[] | undefined): readonly T[] {
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry : [entry];
}
