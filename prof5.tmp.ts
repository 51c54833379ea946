import { readFileSync } from 'fs';
function inst(p: string) { return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(p)), { env: { abort() {} } }).exports as any; }
const V = { cur: inst('build/wasm/tscnn-ops.wasm'), pack: inst('build/wasm/packalways.wasm') };
for (const k of Object.values(V)) k.memory.grow(1200);
const shapes = [[0,0,512,512,512],[0,0,64,3136,576],[1,0,576,3136,64],[0,0,6,576,25],[0,0,16,100,150],[0,0,256,256,256]];
for (let rep = 0; rep < 3; rep++) for (const [ta,tb,M,N,K] of shapes) {
  const line: string[] = [];
  for (const [name, k] of Object.entries(V)) {
    const base = k.heapBase(); const pa = base, pb = pa + M*K*4 + 64, pc = pb + K*N*4 + 64, work = pc + M*N*4 + 64;
    const f = new Float32Array(k.memory.buffer); for (let i = 0; i < (M*K+K*N); i++) f[(base>>2)+i] = Math.random();
    const reps = Math.max(3, Math.floor(2e8 / (2*M*N*K)));
    k.gemm(ta,tb,M,N,K,1,pa,ta?M:K,pb,tb?K:N,0,pc,N,work);
    const t0 = performance.now(); for (let i = 0; i < reps; i++) k.gemm(ta,tb,M,N,K,1,pa,ta?M:K,pb,tb?K:N,0,pc,N,work);
    line.push(`${name} ${(2*M*N*K*reps/(performance.now()-t0)/1e6).toFixed(1)}`);
  }
  console.log(M,N,K, line.join('  '));
}
