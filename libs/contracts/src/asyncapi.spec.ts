import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { ExecutionStatus, MessageStatus } from './statuses';
import { RUN_BY_HEADER, SCHEMA_HEADER, Topics, TRACE_CONTEXT_HEADERS } from './topics';

const document = parse(readFileSync(join(__dirname, '../asyncapi.yaml'), 'utf8'));
const schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> =
  document.components.schemas;

/** Every interface of events.ts as property name -> optional, `extends` flattened. */
function eventInterfaces(): Map<string, Map<string, boolean>> {
  const file = join(__dirname, 'events.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2023, true);
  const declared = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) declared.set(node.name.text, node);
  });
  const members = (node: ts.InterfaceDeclaration): Map<string, boolean> => {
    const own = new Map<string, boolean>();
    for (const clause of node.heritageClauses ?? [])
      for (const type of clause.types)
        for (const [k, v] of members(declared.get(type.expression.getText())!)) own.set(k, v);
    for (const member of node.members)
      if (ts.isPropertySignature(member)) own.set(member.name.getText(), member.questionToken !== undefined);
    return own;
  };
  return new Map([...declared].map(([name, node]) => [name, members(node)]));
}

/** The AsyncAPI document says what the code sends: a change to one without the other fails here. */
describe('libs/contracts/asyncapi.yaml against events.ts', () => {
  const interfaces = eventInterfaces();

  it.each([...interfaces.keys()])('%s has the same properties, and the same ones required', (name) => {
    const schema = schemas[name];
    expect(schema).toBeDefined();
    const members = interfaces.get(name)!;
    expect(Object.keys(schema.properties).sort()).toEqual([...members.keys()].sort());
    const required = [...members].filter(([, optional]) => !optional).map(([property]) => property);
    expect([...(schema.required ?? [])].sort()).toEqual(required.sort());
  });

  it('documents every topic, each with the event the code publishes on it', () => {
    const channels = Object.values(document.channels) as Array<{
      address: string;
      messages: Record<string, { $ref: string }>;
    }>;
    expect(channels.map((channel) => channel.address).sort()).toEqual(Object.values(Topics).sort());
    const eventOf = (topic: string) => {
      const channel = channels.find((c) => c.address === topic)!;
      const ref = Object.values(channel.messages)[0].$ref.split('/').pop()!;
      return document.components.messages[ref].payload.$ref.split('/').pop();
    };
    expect(eventOf(Topics.MessagesReceived)).toBe('MessageReceivedEvent');
    expect(eventOf(Topics.Jobs)).toBe('JobEvent');
    expect(eventOf(Topics.ExecutionResults)).toBe('ExecutionResultEvent');
    expect(eventOf(Topics.Replies)).toBe('ReplyEvent');
    expect(eventOf(Topics.DeadLetters)).toBe('DeadLetterEvent');
    expect(eventOf(Topics.ScriptTests)).toBe('ScriptTestRequestEvent');
    expect(eventOf(Topics.ScriptTestResults)).toBe('ScriptTestResultEvent');
  });

  it('lists the status values the code uses', () => {
    expect((schemas.MessageStatus as unknown as { enum: string[] }).enum.sort()).toEqual(
      Object.values(MessageStatus).sort(),
    );
    expect((schemas.ExecutionStatus as unknown as { enum: string[] }).enum.sort()).toEqual(
      Object.values(ExecutionStatus).sort(),
    );
  });

  it('documents the record headers the code sets', () => {
    expect(Object.keys(schemas.Headers.properties).sort()).toEqual(
      [SCHEMA_HEADER, RUN_BY_HEADER, ...TRACE_CONTEXT_HEADERS].sort(),
    );
    expect(schemas.Headers.required ?? []).toEqual([SCHEMA_HEADER]);
  });
});
