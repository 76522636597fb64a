/**
 * A small Dockerfile reader for the packaging tests: instructions by stage, with line continuations
 * joined and comments dropped, and the pieces a test needs to run the image's command outside a
 * container (ENV, ENTRYPOINT/CMD, HEALTHCHECK). No Docker engine is needed.
 */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The image, with the global ARG defaults substituted. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue;
    if (raw.endsWith('\\')) {
      pending += `${raw.slice(0, -1)} `;
      continue;
    }
    const line = (pending + raw).trim();
    pending = '';
    if (line) lines.push(line);
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const rest = match[2]!.trim();
    if (keyword === 'FROM') {
      const [image = '', as, name] = rest.split(/\s+/);
      stages.push({
        from: image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args[(a ?? b)!] ?? ''),
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
    } else if (keyword === 'ARG' && stages.length === 0) {
      const [key = '', value = ''] = rest.split('=', 2);
      args[key] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword, args: rest });
    }
  }
  return { args, stages };
}

/** A stage's instructions with one keyword. */
export const instructions = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** `ENV a=1 b="two words"` (and the old `ENV a 1`), accumulated over the stage. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instructions(stage, 'ENV')) {
    if (!/^\S+=/.test(args)) {
      const [key = '', ...value] = args.split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const m of args.matchAll(/(\S+?)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      const value = m[2]!;
      env[m[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
    }
  }
  return env;
}

/** An exec-form (JSON array) or shell-form command, as the argv Docker runs. */
export function commandArgv(form: string): string[] {
  if (form.startsWith('[')) return JSON.parse(form) as string[];
  return ['/bin/sh', '-c', form];
}

/** What the stage runs: ENTRYPOINT then CMD (the last of each). */
export function stageCommand(stage: Stage): string[] {
  const entrypoint = instructions(stage, 'ENTRYPOINT').at(-1);
  const cmd = instructions(stage, 'CMD').at(-1);
  return [...(entrypoint ? commandArgv(entrypoint) : []), ...(cmd ? commandArgv(cmd) : [])];
}

/** The HEALTHCHECK's options and command; undefined when there is none (or NONE). */
export function healthcheck(stage: Stage): { options: Record<string, string>; argv: string[] } | undefined {
  const args = instructions(stage, 'HEALTHCHECK').at(-1);
  if (!args || /^NONE$/i.test(args)) return undefined;
  const options: Record<string, string> = {};
  let rest = args;
  for (let m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest); m; m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest)) {
    options[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  const cmd = /^CMD\s+(.*)$/i.exec(rest);
  if (!cmd) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  return { options, argv: commandArgv(cmd[1]!.trim()) };
}
