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
  private readonly callsByTo = new Map<string, CallRecord[]>();
  private readonly messagesByTo = new Map<string, MessageRecord[]>();

  addCall(call: Omit<CallRecord, "seq">): CallRecord {
    const record = call as CallRecord;
    record.seq = this.callOrder.length;
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
    return this.callsByTo.get(phone) ?? [];
  }

  messagesTo(phone: string): readonly MessageRecord[] {
    return this.messagesByTo.get(phone) ?? [];
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

function push<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
