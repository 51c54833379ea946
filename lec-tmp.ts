import { tensor, conv2d, maxPool2d, xoDataset, xoFeatures, Tensor, relu } from './src';
const s=1; const g:number[][]=[]; for(let y=-2;y<=2;y++){const r=[];for(let x=-2;x<=2;x++) r.push(Math.exp(-(x*x+y*y)/(2*s*s))/(2*Math.PI*s*s)); g.push(r);} 
const sum=g.flat().reduce((a,b)=>a+b,0); console.log(g[2][2], sum, g[2][2]/sum, g[0][0]/sum);
const canon = xoDataset({ n: 2, transforms: false });
const X = new Tensor(canon.x.data.slice(0, 81), [1, 1, 9, 9]);
const O = new Tensor(canon.x.data.slice(81, 162), [1, 1, 9, 9]);
const F = xoFeatures();
const m = conv2d(X, new Tensor(F.data.map(v=>v/9), F.shape), null);
const p = maxPool2d(m, { kernelSize: 2, ceilMode: true });
console.log(p.shape, Array.from(p.data.slice(0,16)).map(v=>Math.round(v*9)).join(','));
// zero padded
const z = new Tensor(new Float32Array(3*64), [1,3,8,8]); for(let c=0;c<3;c++)for(let i=0;i<7;i++)for(let j=0;j<7;j++) z.set(m.get(0,c,i,j),0,c,i,j);
const pz = maxPool2d(z, { kernelSize: 2 });
let diff=0; for (let i=0;i<p.size;i++) if (Math.abs(p.data[i]-pz.data[i])>1e-6) diff++; console.log('ceil vs zero-pad differ at', diff);
const pr = maxPool2d(relu(m), { kernelSize: 2, ceilMode: true }); let d2=0; for (let i=0;i<p.size;i++) if (Math.abs(Math.max(0,p.data[i])-pr.data[i])>1e-6) d2++; console.log('relu/pool commute diffs', d2);
// naive matching
const test = xoDataset({ n: 1000, seed: 2 });
let ok=0; for(let n=0;n<1000;n++){ let sx=0,so=0; for(let i=0;i<81;i++){const v=test.x.data[n*81+i]; if(v===X.data[i]) sx++; if(v===O.data[i]) so++;} const pred = sx>so?0:1; if(pred===test.y[n]) ok++; }
console.log('naive acc', ok/1000);
let exact=0; for(let n=0;n<1000;n++){ let same=true; const T=test.y[n]===0?X:O; for(let i=0;i<81;i++) if(test.x.data[n*81+i]!==T.data[i]) {same=false;break;} if(same) exact++; } console.log('exact match', exact);
// shifted X by one pixel right
const sh = new Tensor(new Float32Array(81).fill(-1),[1,1,9,9]); for(let i=0;i<9;i++)for(let j=1;j<9;j++) sh.set(X.get(0,0,i,j-1),0,0,i,j);
let a=0,b=0; for(let i=0;i<81;i++){ if(sh.data[i]===X.data[i])a++; if(sh.data[i]===O.data[i])b++;} console.log('shifted X matches X',a,'O',b);
