/**
 * The words of the training view and the terminal bar (one source, so the CLI line and the
 * notebook view read the same):
 *
 *   progressLine({ epoch: 1, epochs: 3, batch: 5, batches: 8, loss: 0.41, accuracy: 0.9, imagesPerSec: 812 })
 *   // → 'epoch 1/3 ███████████████░░░░░░░░░ 5/8 loss 0.4100 acc 90.0% 812 img/s'
 *
 * Every word goes through `tr` (src/display/locale.ts): `setLocale('zh')` gives 轮次/损失/准确率.
 */
import { tr } from '../display/locale';

/** One batch of `fit`, as the progress views receive it (epoch and batch 1-based). */
export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSec: number;
}

/** One finished epoch, as the views need it (src/train's EpochRecord has these fields and more). */
export interface TrainingEpoch {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Batches run in this epoch (places the epoch's point on the batch axis). */
  batches?: number;
  seconds: number;
  imagesPerSec: number;
}

/** A text bar of `width` cells, `frac` ∈ [0, 1] of them full: '████░░░░'. */
export function progressBar(frac: number, width = 24): string {
  const f = Math.max(0, Math.min(1, frac));
  const full = Math.floor(f * width);
  return '█'.repeat(full) + (full < width ? '░'.repeat(width - full) : '');
}

const W = {
  epoch: { en: 'epoch', zh: '轮次' },
  loss: { en: 'loss', zh: '损失' },
  acc: { en: 'acc', zh: '准确率' },
  valLoss: { en: 'val loss', zh: '验证损失' },
  valAcc: { en: 'val acc', zh: '验证准确率' },
  imgs: { en: 'img/s', zh: '张/秒' },
  stopped: { en: 'stopped', zh: '已停止' },
};

/** The live line of one batch: epoch e/E, a bar over the epoch's batches, loss, accuracy, speed. */
export function progressLine(p: BatchProgress): string {
  return (
    `${tr(W.epoch)} ${p.epoch}/${p.epochs} ${progressBar(p.batch / p.batches)} ${String(p.batch).padStart(String(p.batches).length)}/${p.batches}` +
    ` ${tr(W.loss)} ${p.loss.toFixed(4)} ${tr(W.acc)} ${(100 * p.accuracy).toFixed(1)}% ${Math.round(p.imagesPerSec)} ${tr(W.imgs)}`
  );
}

/** The summary line of one epoch (train, then validation when there is one, then time and speed). */
export function epochLine(e: TrainingEpoch): string {
  return (
    `${tr(W.epoch)} ${e.epoch}: ${tr(W.loss)} ${e.loss.toFixed(4)} ${tr(W.acc)} ${(100 * e.accuracy).toFixed(2)}%` +
    (e.valAccuracy !== undefined ? ` | ${tr(W.valLoss)} ${e.valLoss!.toFixed(4)} ${tr(W.valAcc)} ${(100 * e.valAccuracy).toFixed(2)}%` : '') +
    ` | ${e.seconds.toFixed(1)} s, ${Math.round(e.imagesPerSec)} ${tr(W.imgs)}`
  );
}

const REASONS: Record<string, { en: string; zh: string }> = {
  completed: { en: 'completed', zh: '完成' },
  interrupted: { en: 'interrupted', zh: '被中断' },
  'non-finite': { en: 'non-finite', zh: '出现非有限值' },
  callback: { en: 'callback', zh: '回调要求停止' },
  'max-batches': { en: 'max-batches', zh: '达到批次上限' },
};

/** Why training stopped early: 'stopped (interrupted): …' (the reason in the current locale). */
export function stopLine(reason: string, message: string): string {
  const r = REASONS[reason] ? tr(REASONS[reason]) : reason;
  return `${tr(W.stopped)} (${r})${message ? `: ${message}` : ''}`;
}
