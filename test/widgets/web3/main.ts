/**
 * A real ipywidgets 8 front end, as ipywidgets' own examples/web3 builds it: @jupyter-widgets
 * html-manager (with base-manager and controls 2.0 inside) on a @jupyterlab/services kernel
 * connection. Bundled by build.js (esbuild) and served by the Notebook server itself (/files/),
 * so cookie auth and the XSRF cookie apply and no token goes into a URL.
 * The page exposes `window.harness`: start(), run(code), and a log of every kernel message.
 */
import * as base from '@jupyter-widgets/base';
import { HTMLManager } from '@jupyter-widgets/html-manager';
import { KernelManager, KernelMessage, ServerConnection, type Kernel } from '@jupyterlab/services';
import '@jupyter-widgets/controls/css/widgets-base.css';

class WidgetManager extends HTMLManager {
  constructor(readonly kernel: Kernel.IKernelConnection) {
    super();
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }
  override async _create_comm(target: string, modelId: string, data?: any, metadata?: any): Promise<any> {
    const comm = this.kernel.createComm(target, modelId);
    if (data || metadata) comm.open(data, metadata);
    return new base.shims.services.Comm(comm);
  }
  override _get_comm_info(): Promise<any> {
    return this.kernel.requestCommInfo({ target_name: this.comm_target_name }).then((r) => (r.content as any).comms);
  }
}

interface Logged { t: number; dir: 'send' | 'recv'; type: string; channel: string; data?: any; commId?: string; buffers: number }
const log: Logged[] = [];
let manager: WidgetManager;
let kernel: Kernel.IKernelConnection;

async function start(kernelName: string): Promise<void> {
  const settings = ServerConnection.makeSettings({ baseUrl: location.origin + '/', wsUrl: location.origin.replace(/^http/, 'ws') + '/' });
  const km = new KernelManager({ serverSettings: settings });
  kernel = await km.startNew({ name: kernelName });
  kernel.anyMessage.connect((_, a) => {
    const m = a.msg as any;
    log.push({ t: performance.now(), dir: a.direction, type: m.header.msg_type, channel: m.channel, data: m.content?.data, commId: m.content?.comm_id, buffers: (m.buffers ?? []).length });
  });
  manager = new WidgetManager(kernel);
}

/** Run code; every widget view in its display outputs goes into #widgets. Resolves on execute_reply. */
async function run(code: string): Promise<string> {
  const area = document.getElementById('widgets')!;
  const future = kernel.requestExecute({ code });
  const errors: string[] = [];
  future.onIOPub = async (msg) => {
    if (KernelMessage.isErrorMsg(msg)) errors.push(`${msg.content.ename}: ${msg.content.evalue}`);
    if (KernelMessage.isStreamMsg(msg) && msg.content.name === 'stderr') errors.push(msg.content.text);
    if (KernelMessage.isDisplayDataMsg(msg) || KernelMessage.isExecuteResultMsg(msg)) {
      const view = (msg.content.data as any)['application/vnd.jupyter.widget-view+json'];
      if (view && view.version_major === 2 && manager.has_model(view.model_id)) {
        const model = await manager.get_model(view.model_id);
        await manager.display_view(await manager.create_view(model), area);
      }
    }
  };
  const reply = await future.done;
  return (reply.content as any).status === 'ok' && !errors.length ? 'ok' : `${(reply.content as any).status}: ${errors.join('; ')}`;
}

(window as any).harness = { start, run, log };
