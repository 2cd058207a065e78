/** A police unit's code, RE01 … RE10: the one pattern of the API schemas, the configuration and the key CLI. */
export const REGION_CODE_PATTERN = "^RE(0[1-9]|10)$";

const regionCode = new RegExp(REGION_CODE_PATTERN);
export const isRegionCode = (value: string) => regionCode.test(value);
