/**
 * The host side of the MCP Apps bridge, as a chat client runs it, in the test browser: the Apps SDK's
 * own AppBridge and PostMessageTransport, and a sandboxed frame (scripts only, an opaque origin) that
 * holds the page our server serves. The view's tool calls are handed to the test (window.hostCallTool),
 * which makes them with the SDK's MCP client against our server, as a host proxies them.
 */
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

type CallToolParams = Parameters<NonNullable<AppBridge['oncalltool']>>[0];
type CallToolResult = Awaited<ReturnType<NonNullable<AppBridge['oncalltool']>>>;

declare global {
  interface Window {
    hostCallTool: (params: CallToolParams) => Promise<CallToolResult>;
    hostModelContext: (params: unknown) => Promise<void>;
    openView: (html: string, input: Record<string, unknown>, result: CallToolResult) => Promise<void>;
  }
}

window.openView = async (html, input, result) => {
  document.body.replaceChildren();
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.style.width = '1300px';
  frame.style.height = '1000px';
  document.body.append(frame);
  const view = frame.contentWindow as Window;
  const bridge = new AppBridge(
    null,
    { name: 'test-host', version: '1.0.0' },
    { serverTools: {}, logging: {}, updateModelContext: { text: {} } },
    { hostContext: { theme: 'light', displayMode: 'inline' } },
  );
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onupdatemodelcontext = async (params) => {
    await window.hostModelContext(params);
    return {};
  };
  // The view reports its size as it draws; a chat client grows the frame to fit.
  bridge.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  // Listening before the page loads: the view says hello as soon as its script runs.
  await bridge.connect(new PostMessageTransport(view, view));
  frame.srcdoc = html;
  await initialized;
  await bridge.sendToolInput({ arguments: input });
  await bridge.sendToolResult(result);
};
