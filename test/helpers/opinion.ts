/**
 * Fourteen posts about one problem at one place (the rubbish station by 米兰春天, A3区), said three ways, most of them
 * on one day after two quiet ones: one issue for the clustering and a burst for the early warning.
 */
export function burstItems(): { externalId: string; title: string; text: string; author: string; publishedAt: Date; likes: number }[] {
  return Array.from({ length: 14 }, (_, i) => ({
    externalId: `burst-${i}`,
    title: ['A3区米兰春天小区垃圾站臭味扰民', '米兰春天小区旁垃圾站太臭了', 'A3区米兰春天垃圾中转站臭气熏天'][i % 3]!,
    text: `A市A3区联丰路米兰春天小区旁边的垃圾站臭味很大，住户${i}号楼天天闻到臭味，要求搬迁垃圾站。`,
    author: `b${i}`,
    publishedAt: new Date(Date.UTC(2020, 0, 10 + (i < 2 ? i * 3 : 8), 2 + i)),
    likes: i,
  }));
}
