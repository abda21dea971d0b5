// A small builder for ONNX graphs: declare inputs, initializers and nodes in topological order, get value
// names back, and `build()` checks that every value is defined once before it is used.
import type { AttributeValue, Dim, ElemType, GraphSpec, NodeSpec, TensorSpec, ValueInfoSpec } from './model';
import { float32Tensor, int64Tensor } from './model';

export interface NodeOptions {
  /** Name(s) of the output value(s); generated when omitted. */
  outputs?: readonly string[];
  /** Number of outputs to generate when `outputs` is omitted (default 1). */
  outputCount?: number;
  name?: string;
  domain?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** Builds a GraphSpec in topological order. */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: TensorSpec[] = [];
  private readonly inputs: ValueInfoSpec[] = [];
  private readonly outputs: ValueInfoSpec[] = [];
  private readonly valueInfo: ValueInfoSpec[] = [];
  private readonly defined = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private define(value: string, what: string): string {
    if (!value) throw new Error(`${what}: empty value name`);
    if (this.defined.has(value)) throw new Error(`${what}: value "${value}" is already defined`);
    this.defined.add(value);
    return value;
  }

  /** A fresh value name with the given prefix. */
  fresh(prefix: string): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`;
    while (this.defined.has(n) || this.nodeNames.has(n));
    return n;
  }

  /** Declares a graph input; returns its name. */
  input(name: string, type: ElemType, shape: readonly Dim[] | null): string {
    this.inputs.push({ name, type, shape });
    return this.define(name, 'input');
  }

  /** Adds an initializer (a constant weight); returns its name. */
  initializer(tensor: TensorSpec): string {
    this.initializers.push(tensor);
    return this.define(tensor.name, 'initializer');
  }

  /** Shorthand for a float32 initializer. */
  float32(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    return this.initializer(float32Tensor(name, dims, data));
  }

  /** Shorthand for an int64 initializer. */
  int64(name: string, dims: readonly number[], data: ArrayLike<number | bigint>): string {
    return this.initializer(int64Tensor(name, dims, data));
  }

  /** Adds a node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], options: Omit<NodeOptions, 'outputCount'> & { output?: string } = {}): string {
    const { output, ...rest } = options;
    const outs = this.opMulti(opType, inputs, output !== undefined ? { ...rest, outputs: [output] } : { ...rest, outputCount: 1 });
    return outs[0] as string;
  }

  /** Adds a node; returns the names of all its outputs. */
  opMulti(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.defined.has(i)) throw new Error(`${opType}: input "${i}" is not defined yet`);
    }
    const name = options.name ?? this.fresh(opType);
    if (this.nodeNames.has(name)) throw new Error(`${opType}: node name "${name}" is already used`);
    this.nodeNames.add(name);
    const outputs = options.outputs ?? Array.from({ length: options.outputCount ?? 1 }, () => this.fresh(`${opType}_out`));
    for (const o of outputs) this.define(o, opType);
    const node: NodeSpec = { opType, inputs: [...inputs], outputs: [...outputs], name };
    this.nodes.push({
      ...node,
      ...(options.domain ? { domain: options.domain } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    });
    return [...outputs];
  }

  /** Declares an already defined value as a graph output. */
  output(name: string, type: ElemType, shape: readonly Dim[] | null): string {
    if (!this.defined.has(name)) throw new Error(`output "${name}" is not defined`);
    if (this.outputs.some((o) => o.name === name)) throw new Error(`output "${name}" is declared twice`);
    this.outputs.push({ name, type, shape });
    return name;
  }

  /** Optional type/shape annotation for an intermediate value. */
  annotate(name: string, type: ElemType, shape: readonly Dim[] | null): void {
    if (!this.defined.has(name)) throw new Error(`annotate: "${name}" is not defined`);
    this.valueInfo.push({ name, type, shape });
  }

  build(): GraphSpec {
    if (this.outputs.length === 0) throw new Error(`graph ${this.name}: no outputs declared`);
    return {
      name: this.name,
      nodes: [...this.nodes],
      initializers: [...this.initializers],
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      ...(this.valueInfo.length ? { valueInfo: [...this.valueInfo] } : {}),
    };
  }
}
