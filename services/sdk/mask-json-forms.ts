/**
 * A value inside a JSON string literal, as different serialisers write it. JSON
 * lets any character be written as `\uXXXX` (either hex case) and `/` as `\/`;
 * serialisers differ in which characters they escape that way. Each policy below
 * is one widely used serialiser's, so a request body logged by a Python, PHP,
 * .NET, Go, Java or JavaScript program hides the value.
 */

interface JsonEscapePolicy {
  /** Which UTF-16 code units are written as `\uXXXX` (beside lone surrogates, always). */
  asUnicode: (unit: number) => boolean;
  upperHex: boolean;
  /** Whether `/` is written `\/`. */
  slash: boolean;
}

const CONTROLS_ONLY = (): boolean => false;
const NON_ASCII = (unit: number): boolean => unit > 0x7f;
const EVERY_UNIT = (): boolean => true;
/** System.Text.Json's default encoder: non-ASCII, DEL and HTML-sensitive characters. */
const DOTNET = (unit: number): boolean => unit >= 0x7f || '"&\'+<>`'.includes(String.fromCharCode(unit));
/** Go's encoding/json: HTML-sensitive characters and the JavaScript line terminators. */
const GO = (unit: number): boolean =>
  '<>&'.includes(String.fromCharCode(unit)) || unit === 0x2028 || unit === 0x2029;

export const JSON_ESCAPE_POLICIES: ReadonlyArray<JsonEscapePolicy & { used: string }> = [
  { asUnicode: CONTROLS_ONLY, upperHex: false, slash: false, used: 'JSON.stringify' },
  { asUnicode: CONTROLS_ONLY, upperHex: true, slash: false, used: 'Jackson' },
  { asUnicode: CONTROLS_ONLY, upperHex: false, slash: true, used: 'PHP json_encode(JSON_UNESCAPED_UNICODE)' },
  { asUnicode: NON_ASCII, upperHex: false, slash: false, used: 'Python json.dumps (ensure_ascii)' },
  { asUnicode: NON_ASCII, upperHex: true, slash: false, used: 'ASCII-only serialisers with upper-case hex' },
  { asUnicode: NON_ASCII, upperHex: false, slash: true, used: 'PHP json_encode' },
  { asUnicode: DOTNET, upperHex: true, slash: false, used: '.NET System.Text.Json' },
  { asUnicode: GO, upperHex: false, slash: false, used: 'Go encoding/json' },
  { asUnicode: EVERY_UNIT, upperHex: false, slash: false, used: 'every character as \\uXXXX' },
  { asUnicode: EVERY_UNIT, upperHex: true, slash: false, used: 'every character as \\uXXXX, upper-case hex' },
];

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** The value between the quotes of a JSON string, under every policy above. */
export function jsonEscapedForms(value: string): string[] {
  return JSON_ESCAPE_POLICIES.map((policy) => jsonEscape(value, policy));
}

/** `value` escaped for a JSON string literal under `policy`, without the quotes. */
export function jsonEscape(value: string, policy: JsonEscapePolicy): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (policy.asUnicode(unit) || isLoneSurrogate(value, i)) out += unicodeEscape(unit, policy.upperHex);
    else if (unit === 0x2f && policy.slash) out += '\\/';
    else if (SHORT_ESCAPES[unit] !== undefined) out += SHORT_ESCAPES[unit];
    else if (unit < 0x20) out += unicodeEscape(unit, policy.upperHex);
    else out += value[i];
  }
  return out;
}

function unicodeEscape(unit: number, upper: boolean): string {
  const hex = unit.toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/** A surrogate without its partner: well-formed JSON.stringify writes it as `\udXXX`. */
function isLoneSurrogate(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    const previous = text.charCodeAt(i - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}
