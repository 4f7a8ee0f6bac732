/**
 * The routing classifier as the messages module uses it: title + content in, category and calibrated confidence
 * out. The default wraps the trained model of src/nlp/routing (loaded once per process); when its artefact is
 * missing, every message goes to the manual dispatch queue.
 */

/** A category suggestion for a message; `null` when the model cannot say (then the manual queue decides). */
export interface Classification {
  category: string;
  confidence: number;
}

/** Anything that classifies a message. */
export interface MessageClassifier {
  classify(input: { title: string; content: string }): Classification | null;
}

/** A classifier that never decides (every message goes to the manual queue). */
export const NO_CLASSIFIER: MessageClassifier = { classify: () => null };

/** Loads the committed routing model; returns NO_CLASSIFIER (and the reason) when it cannot be loaded. */
export async function loadDefaultClassifier(): Promise<{ classifier: MessageClassifier; problem?: string }> {
  try {
    const routing = await import('../../nlp/routing/index.ts');
    const r = await routing.loadRoutingModel();
    if (!r.ok) return { classifier: NO_CLASSIFIER, problem: r.error.message };
    const model = r.model;
    return {
      classifier: {
        classify(input) {
          const out = model.classify({ title: input.title, content: input.content });
          return out.ok ? { category: out.category, confidence: out.confidence } : null;
        },
      },
    };
  } catch (err) {
    return { classifier: NO_CLASSIFIER, problem: (err as Error).message };
  }
}
