/**
 * API Gateway mapping templates (VTL) rendered with velocityjs, with `$input`, `$util`, `$context`
 * and `$stageVariables` behaving as API Gateway documents them:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
import { Compile, parse } from 'velocityjs';

import {
  escapeJavaScript,
  javaMatches,
  javaReplaceAll,
  javaReplaceFirst,
  javaSplit,
  javaToString,
  javaUrlDecode,
  javaUrlEncode,
} from './java-semantics.js';
import { jsonPath } from './json-path.js';

/**
 * A java.util.Map as templates see it: entries are own properties (so `$map.key` works), and the
 * Map methods live on the prototype, so a key named `get` or `size` cannot hide them.
 */
export class JavaMap {
  constructor(entries: Record<string, unknown> = {}) {
    // defineProperty, not assignment: a key named `__proto__` must stay a key.
    for (const [key, value] of Object.entries(entries)) {
      Object.defineProperty(this, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }

  get(key: unknown): unknown {
    const name = String(key);
    return Object.hasOwn(this, name) ? (this as Record<string, unknown>)[name] : undefined;
  }

  containsKey(key: unknown): boolean {
    return Object.hasOwn(this, String(key));
  }

  keySet(): string[] {
    return Object.keys(this);
  }

  values(): unknown[] {
    return Object.values(this);
  }

  entrySet(): { key: string; value: unknown }[] {
    return Object.entries(this as Record<string, unknown>).map(([key, value]) => ({ key, value }));
  }

  size(): number {
    return Object.keys(this).length;
  }

  isEmpty(): boolean {
    return this.size() === 0;
  }

  toString(): string {
    return javaToString(this);
  }
}

/** Turns parsed JSON into what a Java JSON parser gives templates: Maps and Lists. */
function toJava(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJava);
  if (value !== null && typeof value === 'object') {
    return new JavaMap(
      Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJava(item)])),
    );
  }
  return value;
}

export interface VtlRequestData {
  /** The raw payload: the request body, or the integration's response body. */
  body: string;
  path?: Record<string, string>;
  querystring?: Record<string, string>;
  /** Header names as the client sent them; `$input.params(name)` matches them case-insensitively. */
  header?: Record<string, string>;
}

export interface VtlVariables {
  input: VtlRequestData;
  context: Record<string, unknown>;
  stageVariables?: Record<string, string>;
}

function createInput(data: VtlRequestData): Record<string, unknown> {
  let parsed: { value: unknown } | undefined;
  const root = (): unknown => {
    if (!parsed) {
      // API Gateway treats an empty payload as an empty JSON object.
      const text = data.body.trim() === '' ? '{}' : data.body;
      try {
        parsed = { value: JSON.parse(text) };
      } catch {
        parsed = { value: undefined };
      }
    }
    return parsed.value;
  };
  const path = data.path ?? {};
  const querystring = data.querystring ?? {};
  const header = data.header ?? {};
  return {
    body: data.body,
    json: (expression: unknown): string => {
      const value = jsonPath(root(), String(expression));
      return value === undefined ? '' : JSON.stringify(value);
    },
    path: (expression: unknown): unknown => toJava(jsonPath(root(), String(expression))),
    params: (name?: unknown): unknown => {
      if (name === undefined) {
        return new JavaMap({
          path: new JavaMap(path),
          querystring: new JavaMap(querystring),
          header: new JavaMap(header),
        });
      }
      const key = asText(name);
      if (Object.hasOwn(path, key)) return path[key];
      if (Object.hasOwn(querystring, key)) return querystring[key];
      const headerName = Object.keys(header).find((h) => h.toLowerCase() === key.toLowerCase());
      return headerName === undefined ? '' : header[headerName];
    },
  };
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : javaToString(value);

const util = {
  escapeJavaScript: (value: unknown): string => escapeJavaScript(asText(value)),
  parseJson: (value: unknown): unknown => toJava(JSON.parse(asText(value))),
  urlEncode: (value: unknown): string => javaUrlEncode(asText(value)),
  urlDecode: (value: unknown): string => javaUrlDecode(asText(value)),
  base64Encode: (value: unknown): string => Buffer.from(asText(value), 'utf8').toString('base64'),
  base64Decode: (value: unknown): string => Buffer.from(asText(value), 'base64').toString('utf8'),
};

/** java.lang.String methods whose JS namesakes differ (regex vs literal, property vs method). */
const javaStringMethods: Record<string, (text: string, ...args: unknown[]) => unknown> = {
  replaceAll: (text, regex, replacement) =>
    javaReplaceAll(text, String(regex), String(replacement)),
  replaceFirst: (text, regex, replacement) =>
    javaReplaceFirst(text, String(regex), String(replacement)),
  replace: (text, target, replacement) => text.split(String(target)).join(String(replacement)),
  matches: (text, regex) => javaMatches(String(regex), text),
  split: (text, regex) => javaSplit(text, String(regex)),
  length: (text) => text.length,
  isEmpty: (text) => text.length === 0,
  equals: (text, other) => text === other,
  equalsIgnoreCase: (text, other) =>
    typeof other === 'string' && text.toLowerCase() === other.toLowerCase(),
  contains: (text, part) => text.includes(asText(part)),
};

type MethodPayload = { property: string; context: unknown; params: unknown[] };

const customMethodHandlers = [
  {
    uid: 'java-string',
    match: ({ property, context }: MethodPayload) =>
      typeof context === 'string' && Object.hasOwn(javaStringMethods, property),
    resolve: ({ property, context, params }: MethodPayload) =>
      javaStringMethods[property]!(context as string, ...params),
  },
  {
    uid: 'java-map',
    match: ({ property, context }: MethodPayload) =>
      context instanceof JavaMap &&
      property !== 'constructor' &&
      typeof (JavaMap.prototype as unknown as Record<string, unknown>)[property] === 'function',
    resolve: ({ property, context, params }: MethodPayload) =>
      (
        (JavaMap.prototype as unknown as Record<string, unknown>)[property] as (
          ...args: unknown[]
        ) => unknown
      ).apply(context, params),
  },
  {
    // $input.*() and $util.*(): call them directly so velocityjs does not decorate the objects.
    uid: 'own-function',
    match: ({ property, context }: MethodPayload) =>
      context !== null &&
      typeof context === 'object' &&
      !(context instanceof JavaMap) &&
      Object.hasOwn(context, property) &&
      typeof (context as Record<string, unknown>)[property] === 'function',
    resolve: ({ property, context, params }: MethodPayload) =>
      ((context as Record<string, unknown>)[property] as (...args: unknown[]) => unknown)(
        ...params,
      ),
  },
];

const parsedTemplates = new Map<string, ReturnType<typeof parse>>();

/** Renders one template; an undefined reference renders as empty text, as on API Gateway. */
export function renderVtl(template: string, variables: VtlVariables): string {
  let ast = parsedTemplates.get(template);
  if (!ast) {
    ast = parse(template);
    parsedTemplates.set(template, ast);
  }
  const context = {
    input: createInput(variables.input),
    util,
    context: toJava(variables.context),
    stageVariables: new JavaMap(variables.stageVariables ?? {}),
  };
  return new Compile(ast, { escape: false, customMethodHandlers }).render(context, undefined, true);
}
