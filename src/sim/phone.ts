import { parsePhoneNumberFromString } from "libphonenumber-js/max";

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(phone: string | undefined): phone is string {
  return phone !== undefined && E164.test(phone);
}

const SMS_CAPABLE = new Set(["MOBILE", "FIXED_LINE_OR_MOBILE", "PERSONAL_NUMBER", "PAGER"]);

/** Whether a number can receive SMS. Dutch mobiles are exactly the +316 range. */
export function canReceiveSms(phone: string): boolean {
  if (phone.startsWith("+31")) return phone.startsWith("+316");
  const type = parsePhoneNumberFromString(phone)?.getType();
  return type === undefined || SMS_CAPABLE.has(type);
}
