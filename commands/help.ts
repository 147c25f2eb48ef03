import { z } from 'zod';
import { defineCommand, PROGRAMS, surfaceOf } from './command.js';
import { closestCommandName, commandHelp, findCommand, overviewHelp } from './parse.js';

const Args = z.object({
  _: z.array(z.string()).max(2, 'expected one command name, e.g. aging or audit verify'),
});

/** Generated from the registry the surface hands in, so a new command shows up here without an edit. */
export default defineCommand({
  name: 'help',
  summary: 'The commands you can use here, or one command with its options and examples',
  usage: '[command]',
  details: ['command   a command name, e.g. aging (default: list every command)'],
  examples: ['dlp-bot help', 'dlp-bot help aging', '/dlp help', '/dlp help mine'],
  options: {},
  args: Args.transform((raw) => ({ topic: raw._ })),
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run({ topic }, ctx) {
    const surface = surfaceOf(ctx.invoker);
    const program = PROGRAMS[surface];
    const available = ctx.commands.filter((c) => c.surfaces.includes(surface));
    if (topic.length === 0) return { view: overviewHelp(available, program, surface) };
    const found = findCommand(available, topic);
    if (found && found.rest.length === 0) return { view: commandHelp(found.spec, program, surface) };
    const asked = topic.join(' ');
    const group = available.filter((c) => c.name.startsWith(`${topic[0]} `)).map((c) => `${program} help ${c.name}`);
    const near = group.length ? undefined : closestCommandName(available, topic);
    const listed = `${program} help lists the commands you can use ${surface === 'chat' ? 'in chat' : 'on the command line'}.`;
    return {
      view: {
        title: `No command "${asked}" here`,
        tone: 'warning',
        blocks: [
          {
            type: 'text',
            text: group.length
              ? `Try ${group.join(' or ')}.`
              : near
                ? `Did you mean ${program} help ${near}? ${listed}`
                : listed,
          },
        ],
      },
      exitCode: 2,
    };
  },
});
