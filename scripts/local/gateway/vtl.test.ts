import { fileURLToPath } from 'node:url';

import { escapeJavaScript, javaMatches, javaReplaceAll, javaUrlEncode } from './java-semantics.js';
import { loadApiDefinition } from './openapi.js';
import type { Operation } from './openapi.js';
import { renderVtl } from './vtl.js';

const OPENAPI_PATH = fileURLToPath(new URL('../../../shared/api/openapi.yaml', import.meta.url));
const api = loadApiDefinition(OPENAPI_PATH, {
  partition: 'aws',
  region: 'us-east-1',
  cors_origin: 'https://app.example.com',
  public_security: '[]',
  user_pool_arn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Test',
});

function operation(path: string, method: string): Operation {
  const found = api.resources.find((r) => r.path === path)?.operations.get(method);
  if (!found) throw new Error(`no ${method} ${path} in openapi.yaml`);
  return found;
}

const generateQuery = operation('/generate', 'GET');
const requestTemplate = generateQuery.integration.requestTemplates['application/json']!;

function renderGetTemplate(
  querystring: Record<string, string>,
  claims: Record<string, string> = {},
) {
  return renderVtl(requestTemplate, {
    input: { body: '', path: {}, querystring, header: { Accept: 'image/*' } },
    context: {
      requestId: 'req-1',
      identity: { sourceIp: '203.0.113.9' },
      authorizer: { claims },
    },
  });
}

describe('VTL: the GET /generate request template from openapi.yaml', () => {
  it.each([
    ['plain text', 'a red fox in the snow'],
    ['double quotes', 'a sign that says "hello"'],
    ['apostrophes', "the fox's den, isn't it"],
    ['newlines and tabs', 'line one\nline two\r\n\tindented'],
    ['backslashes', "C:\\path\\to\\fox and \\' mixed"],
    ['unicode and emoji', 'café, 東京, 🦊 and \u2028 separators'],
    ['html', '</script><b>&amp;</b>'],
  ])('renders valid JSON that keeps the prompt with %s', (_label, prompt) => {
    const rendered = renderGetTemplate({ prompt, seed: '7', style: "it's" });
    const parsed = JSON.parse(rendered) as Record<string, unknown>;
    expect(parsed.prompt).toBe(prompt);
    expect(parsed.query).toEqual({ prompt, seed: '7', style: "it's" });
    expect(parsed.requestId).toBe('req-1');
    expect(parsed.sourceIp).toBe('203.0.113.9');
  });

  it('passes the Cognito subject, and an empty one when the route is open', () => {
    expect(JSON.parse(renderGetTemplate({ prompt: 'x' }, { sub: 'user-1' }))).toMatchObject({
      userId: 'user-1',
    });
    expect(JSON.parse(renderGetTemplate({ prompt: 'x' }))).toMatchObject({ userId: '' });
  });

  it('passes a parameter named __proto__ on like any other, as the Java gateway does', () => {
    const querystring = JSON.parse('{"prompt":"a","__proto__":"x"}') as Record<string, string>;
    const rendered = renderGetTemplate(querystring);
    expect(rendered).toContain('"__proto__":"x"');
    const parsed = JSON.parse(rendered) as { query: Record<string, string> };
    expect(Object.keys(parsed.query)).toEqual(['prompt', '__proto__']);
  });
});

describe('VTL: $input, $util and $context', () => {
  const render = (template: string, body = '', extra: Record<string, unknown> = {}) =>
    renderVtl(template, {
      input: {
        body,
        path: { id: 'abc' },
        querystring: { prompt: 'a cat', n: '2' },
        header: { 'X-Prompt': 'from header', 'Content-Type': 'application/json' },
      },
      context: {
        requestId: 'r-9',
        httpMethod: 'GET',
        resourcePath: '/x/{id}',
        stage: 'dev',
        ...extra,
      },
    });

  it('looks parameters up in path, then query string, then headers (case-insensitively)', () => {
    expect(
      render(
        "$input.params('id')|$input.params('n')|$input.params('x-prompt')|$input.params('none')",
      ),
    ).toBe('abc|2|from header|');
  });

  it('renders $input.params() maps the way Java prints them', () => {
    expect(render('$input.params().querystring')).toBe('{prompt=a cat, n=2}');
    expect(render('$input.params()')).toBe(
      '{path={id=abc}, querystring={prompt=a cat, n=2}, header={X-Prompt=from header, Content-Type=application/json}}',
    );
  });

  it('supports the documented method-request passthrough loop', () => {
    const template = [
      '#set($allParams = $input.params())',
      '{#foreach($type in $allParams.keySet())#set($params = $allParams.get($type))',
      '"$type":{#foreach($name in $params.keySet())"$name":"$util.escapeJavaScript($params.get($name))"#if($foreach.hasNext),#end#end}#if($foreach.hasNext),#end#end}',
    ].join('\n');
    expect(JSON.parse(render(template))).toEqual({
      path: { id: 'abc' },
      querystring: { prompt: 'a cat', n: '2' },
      header: { 'X-Prompt': 'from header', 'Content-Type': 'application/json' },
    });
  });

  it('keeps Map methods even when a query parameter is named like one', () => {
    const output = renderVtl(
      '#set($q = $input.params().querystring)#foreach($k in $q.keySet())$k=$q.get($k);#end',
      {
        input: { body: '', querystring: { get: '1', size: '2' } },
        context: {},
      },
    );
    expect(output).toBe('get=1;size=2;');
  });

  it('reads the body with $input.json, $input.path and $input.body', () => {
    const body = JSON.stringify({ size: { w: 512 }, tags: ['a', 'b'], text: 'hi "there"' });
    expect(
      render("$input.json('$.size')|$input.json('$.tags[1]')|$input.path('$.size.w')", body),
    ).toBe('{"w":512}|"b"|512');
    expect(render("#set($b = $input.path('$'))$b.tags.size()|$b.size.w", body)).toBe('2|512');
    expect(render('$input.body', body)).toBe(body);
    expect(render("$input.json('$')", '')).toBe('{}');
  });

  it('gives $context values, claims included', () => {
    expect(
      render(
        "$context.requestId $context.httpMethod $context.resourcePath $context.stage $context.authorizer.claims['cognito:username']",
        '',
        {
          authorizer: { claims: { 'cognito:username': 'ana' } },
        },
      ),
    ).toBe('r-9 GET /x/{id} dev ana');
  });

  it('implements the $util helpers like API Gateway', () => {
    const quoted = renderVtl("$util.escapeJavaScript($input.params('q'))", {
      input: { body: '', querystring: { q: 'it\'s a "test"' } },
      context: {},
    });
    expect(quoted).toBe('it\\\'s a \\"test\\"');
    expect(render("$util.urlEncode('a b&c/é*~')")).toBe('a+b%26c%2F%C3%A9*%7E');
    expect(render("$util.urlDecode('a+b%26c')")).toBe('a b&c');
    expect(render("$util.base64Encode('hi there')|$util.base64Decode('aGkgdGhlcmU=')")).toBe(
      'aGkgdGhlcmU=|hi there',
    );
    expect(
      render('#set($o = $util.parseJson(\'{"a":{"b":[1,2]}}\'))$o.a.b.size() $o.a.b.get(1)'),
    ).toBe('2 2');
  });

  it('runs Java String methods: regex replaceAll, matches, length', () => {
    expect(
      render(
        "#set($s = 'a1b22c333')$s.replaceAll('[0-9]+', '#')|$s.matches('[a-c0-9]+')|$s.matches('a1')|$s.length()",
      ),
    ).toBe('a#b#c#|true|false|9');
    expect(render("#set($s = 'x.y.z')$s.replace('.', '-')")).toBe('x-y-z');
  });
});

describe('Java semantics', () => {
  it('escapes like Commons Lang 2 escapeJavaScript', () => {
    expect(escapeJavaScript('\'"\\/\n\t\u0001é€😀')).toBe(
      '\\\'\\"\\\\\\/\\n\\t\\u0001\\u00E9\\u20AC\\uD83D\\uDE00',
    );
  });

  it('applies the documented replaceAll("\\\\\'", "\'") fix with Java regex meaning', () => {
    // In VTL, "\\'" is the three characters \\' ; as a Java regex that matches a backslash and a quote.
    expect(javaReplaceAll("it\\'s", "\\\\'", "'")).toBe("it's");
    expect(javaReplaceAll('a-b-c', '-(\\w)', '$1$1')).toBe('abbcc');
  });

  it('matches selection patterns against the whole message, as Java matches() does', () => {
    expect(javaMatches('^\\[400\\][\\s\\S]*', '[400] {"error":{}}')).toBe(true);
    expect(javaMatches('\\[400\\]', '[400] {"error":{}}')).toBe(false);
  });

  it('URL-encodes like java.net.URLEncoder', () => {
    expect(javaUrlEncode("(it's) ~ok!")).toBe('%28it%27s%29+%7Eok%21');
  });
});
