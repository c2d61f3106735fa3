/**
 * The Java behaviour API Gateway's VTL and selection patterns rely on: java.util.regex syntax,
 * String.replaceAll/matches/split, Apache Commons Lang 2 escapeJavaScript, URLEncoder/URLDecoder.
 */

/** Translates a java.util.regex pattern into an equivalent JS RegExp (the subset templates use). */
export function javaRegex(pattern: string, extraFlags = ''): RegExp {
  let source = pattern;
  let flags = extraFlags;
  // Leading inline flags such as (?i) or (?is) become RegExp flags.
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1]!) if (flag !== 'x' && !flags.includes(flag)) flags += flag;
  }
  source = source.replaceAll('\\A', '^').replaceAll('\\Z', '$').replaceAll('\\z', '$');
  return new RegExp(source, flags);
}

/** Java's Matcher.matches(): the whole input must match, not just a part of it. */
export function javaMatches(pattern: string, input: string): boolean {
  const regex = javaRegex(pattern);
  return new RegExp(`^(?:${regex.source})$`, regex.flags).test(input);
}

/** Java replacement strings: `$n` and `${name}` are groups, a backslash quotes the next character. */
function javaReplacement(replacement: string): (match: string, ...rest: unknown[]) => string {
  return (match, ...rest) => {
    const last = rest.at(-1);
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string>) : {};
    const groupCount = rest.length - (typeof last === 'object' && last !== null ? 3 : 2);
    const groups = [match, ...(rest.slice(0, groupCount) as (string | undefined)[])];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const char = replacement[i]!;
      if (char === '\\') {
        i++;
        out += replacement[i] ?? '';
      } else if (char === '$') {
        const braced = /^\{(\w+)\}/.exec(replacement.slice(i + 1));
        if (braced) {
          out += named[braced[1]!] ?? '';
          i += braced[0].length;
          continue;
        }
        const digits = /^\d/.exec(replacement.slice(i + 1));
        if (!digits) throw new Error(`Illegal group reference in replacement: ${replacement}`);
        out += groups[Number(digits[0])] ?? '';
        i += 1;
      } else {
        out += char;
      }
    }
    return out;
  };
}

export function javaReplaceAll(input: string, regex: string, replacement: string): string {
  return input.replace(javaRegex(regex, 'g'), javaReplacement(replacement));
}

export function javaReplaceFirst(input: string, regex: string, replacement: string): string {
  return input.replace(javaRegex(regex), javaReplacement(replacement));
}

/** String.split(regex): like JS split with a RegExp, minus Java's dropped trailing empty strings. */
export function javaSplit(input: string, regex: string): string[] {
  const parts = input.split(javaRegex(regex));
  while (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts;
}

const hex = (code: number): string => code.toString(16).toUpperCase();

/**
 * Commons Lang 2 StringEscapeUtils.escapeJavaScript, which API Gateway's $util.escapeJavaScript
 * uses: it also escapes `'` (as `\'`, invalid in JSON) and `/`, and writes every non-ASCII
 * UTF-16 unit as an upper-case \uXXXX escape.
 */
export function escapeJavaScript(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code > 0xfff) out += `\\u${hex(code)}`;
    else if (code > 0xff) out += `\\u0${hex(code)}`;
    else if (code > 0x7f) out += `\\u00${hex(code)}`;
    else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[code] ?? (code > 0xf ? `\\u00${hex(code)}` : `\\u000${hex(code)}`);
    } else {
      const char = input[i]!;
      out += char === "'" || char === '"' || char === '\\' || char === '/' ? `\\${char}` : char;
    }
  }
  return out;
}

/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space as `+`, only `.-*_` left bare. */
export function javaUrlEncode(input: string): string {
  return encodeURIComponent(input)
    .replace(/[!'()~]/g, (char) => `%${hex(char.charCodeAt(0))}`)
    .replaceAll('%20', '+')
    .replaceAll('%2A', '*');
}

/** java.net.URLDecoder.decode(s, "UTF-8"). */
export function javaUrlDecode(input: string): string {
  return decodeURIComponent(input.replaceAll('+', ' '));
}

/** How Java's Map/List toString renders values, which VTL shows for `$map` in text. */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map((item) => javaToString(item)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaToString(item)}`)
      .join(', ')}}`;
  }
  // Numbers and booleans print as in JSON; strings as they are.
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
