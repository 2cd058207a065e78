/** Logs never carry a full phone number: keep the country/network prefix and the last two digits. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return "***";
  return `${phone.slice(0, 4)}***${phone.slice(-2)}`;
}
