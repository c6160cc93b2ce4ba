/**
 * A small, typed way to write ONNX graphs from TypeScript, on top of the `onnx-proto` message
 * definitions. mmrag uses it to build models whose weights are computed, not trained: the
 * GloVe-based lite text embedder and the designed fixture models the tests run.
 *
 * Everything written is sorted or insertion-ordered, so a build is byte-identical run to run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { onnx as OnnxTypes } from 'onnx-proto';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX element types used here (values from TensorProto.DataType). */
export const DType = { float: 1, int32: 6, int64: 7, bool: 9 } as const;
export type DTypeName = keyof typeof DType;

/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** A number attribute is INT when integral; wrap it as `{ float: 1 }` to force FLOAT. */
export type AttributeValue =
  | number
  | string
  | number[]
  | Float32Array
  | { ints: number[] }
  | { float: number };

export interface TensorInit {
  dtype: DTypeName;
  dims: number[];
  values: ArrayLike<number> | ArrayLike<bigint>;
}

const OPSET = 17;

/**
 * Collects nodes, weights and typed inputs/outputs, then serialises a ModelProto.
 * Node outputs get generated names unless one is given, so graphs read like expressions.
 */
export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, dtype: DTypeName, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  /** Declares `value` (a node output) as a graph output called `name`. */
  output(name: string, value: string, dtype: DTypeName, shape: Dim[]): void {
    if (value !== name) this.op('Identity', [value], {}, name);
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  /** A constant weight. */
  constant(tensor: TensorInit, name = this.fresh('w')): string {
    this.initializers.push(tensorProto(name, tensor));
    return name;
  }

  float(values: number[] | Float32Array, dims: number[] = [values.length]): string {
    return this.constant({ dtype: 'float', dims, values });
  }

  int64(values: number[], dims: number[] = [values.length]): string {
    return this.constant({ dtype: 'int64', dims, values: values.map(BigInt) });
  }

  /** Adds a node and returns its (first) output name. */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputName = this.fresh(opType.toLowerCase()),
  ): string {
    this.nodes.push({
      opType,
      input: inputs,
      output: [outputName],
      name: `${opType}_${this.nodes.length}`,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return outputName;
  }

  /** Serialises the graph as an ONNX model (opset 17). */
  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'mmrag',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  async save(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.toBytes());
  }

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }
}

function valueInfo(name: string, dtype: DTypeName, shape: Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DType[dtype],
        shape: {
          dim: shape.map((dim) =>
            typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim },
          ),
        },
      },
    },
  };
}

function tensorProto(name: string, { dtype, dims, values }: TensorInit): OnnxTypes.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new Error(`Tensor ${name}: ${values.length} values for dims [${dims.join(', ')}]`);
  }
  const raw = toRawBytes(dtype, values);
  return { name, dims, dataType: DType[dtype], rawData: raw };
}

function toRawBytes(dtype: DTypeName, values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  const numbers = Array.from(values as ArrayLike<number | bigint>);
  switch (dtype) {
    case 'float':
      return new Uint8Array(Float32Array.from(numbers.map(Number)).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(numbers.map(Number)).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(numbers.map((v) => BigInt(v))).buffer);
    case 'bool':
      return Uint8Array.from(numbers.map((v) => (v ? 1 : 0)));
  }
}

function attribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: types.STRING, s: Buffer.from(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: types.INT, i: value }
      : { name, type: types.FLOAT, f: value };
  }
  if (value instanceof Float32Array) return { name, type: types.FLOATS, floats: Array.from(value) };
  if (Array.isArray(value)) return { name, type: types.INTS, ints: value };
  if ('float' in value) return { name, type: types.FLOAT, f: value.float };
  return { name, type: types.INTS, ints: value.ints };
}
