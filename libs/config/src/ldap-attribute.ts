/** ATTRIBUTE_PATTERN is an RFC 4512 attribute description (name or numeric OID), checked at config load. */
export const ATTRIBUTE_PATTERN = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;
