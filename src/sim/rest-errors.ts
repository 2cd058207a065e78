import type { FastifyReply } from "fastify";

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function sendError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).send(twilioError(status, code, message));
}

export function notFound(reply: FastifyReply, url: string): FastifyReply {
  return sendError(reply, 404, 20404, `The requested resource ${url.split("?")[0]} was not found`);
}
