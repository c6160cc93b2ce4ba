/** `mmrag mcp`: the engine as MCP tools on stdio, until the client closes the connection. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { packageVersion } from '../../http/package-version.js';
import { createMcpServer } from '../../mcp/index.js';
import { type GlobalFlags, openCli } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export interface McpFlags extends GlobalFlags {
  allowRoot?: string[];
}

export async function runMcp(flags: McpFlags): Promise<number> {
  // stdout carries the protocol: nothing else may be printed there.
  const cli = await openCli({ ...flags, json: true });
  try {
    const server = await createMcpServer({
      engine: cli.engine,
      allowRoots: flags.allowRoot?.length ? flags.allowRoot : [process.cwd()],
      version: packageVersion(),
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
    });
    await server.connect(transport);
    await closed;
    await server.close();
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}
