import type { FastifyInstance } from "fastify";
export async function opinionPages(_app: FastifyInstance): Promise<void> {}
