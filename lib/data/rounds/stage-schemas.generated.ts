// GENERATED from the ML core's zod schemas by stage-schemas.test.ts (UPDATE_STAGE_SCHEMAS=1). Do not edit.
export const STAGE_JSON_SCHEMAS = {
  "pretrain": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
      "steps": {
        "default": 500,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "batchSize": {
        "default": 16,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "microBatchSize": {
        "default": 8,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "blockSize": {
        "default": null,
        "anyOf": [
          {
            "type": "integer",
            "exclusiveMinimum": 0,
            "maximum": 9007199254740991
          },
          {
            "type": "null"
          }
        ]
      },
      "lr": {
        "default": 0.0006,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "minLrRatio": {
        "default": 0.1,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "warmupSteps": {
        "default": 20,
        "type": "integer",
        "minimum": 0,
        "maximum": 9007199254740991
      },
      "weightDecay": {
        "default": 0.1,
        "type": "number",
        "minimum": 0
      },
      "adamBeta1": {
        "default": 0.9,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamBeta2": {
        "default": 0.95,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamEps": {
        "default": 1e-8,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "maxGradNorm": {
        "default": 1,
        "type": "number",
        "minimum": 0
      },
      "evalFraction": {
        "default": 0.05,
        "type": "number",
        "minimum": 0,
        "maximum": 0.5
      },
      "evalEvery": {
        "default": 100,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "checkpointEvery": {
        "default": 200,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "seed": {
        "default": 0,
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      }
    },
    "additionalProperties": false
  },
  "sft": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
      "steps": {
        "default": 200,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "batchSize": {
        "default": 16,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "microBatchSize": {
        "default": 8,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "maxLength": {
        "default": null,
        "anyOf": [
          {
            "type": "integer",
            "exclusiveMinimum": 0,
            "maximum": 9007199254740991
          },
          {
            "type": "null"
          }
        ]
      },
      "lr": {
        "default": 0.0001,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "minLrRatio": {
        "default": 0.1,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "warmupSteps": {
        "default": 10,
        "type": "integer",
        "minimum": 0,
        "maximum": 9007199254740991
      },
      "weightDecay": {
        "default": 0,
        "type": "number",
        "minimum": 0
      },
      "adamBeta1": {
        "default": 0.9,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamBeta2": {
        "default": 0.999,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamEps": {
        "default": 1e-8,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "maxGradNorm": {
        "default": 1,
        "type": "number",
        "minimum": 0
      },
      "evalFraction": {
        "default": 0.1,
        "type": "number",
        "minimum": 0,
        "maximum": 0.5
      },
      "evalEvery": {
        "default": 50,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "checkpointEvery": {
        "default": 100,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "seed": {
        "default": 0,
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      }
    },
    "additionalProperties": false
  },
  "rm": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
      "steps": {
        "default": 100,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "batchSize": {
        "default": 8,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "microBatchSize": {
        "default": 4,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "maxLength": {
        "default": null,
        "anyOf": [
          {
            "type": "integer",
            "exclusiveMinimum": 0,
            "maximum": 9007199254740991
          },
          {
            "type": "null"
          }
        ]
      },
      "lr": {
        "default": 0.00003,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "minLrRatio": {
        "default": 0.1,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "warmupSteps": {
        "default": 5,
        "type": "integer",
        "minimum": 0,
        "maximum": 9007199254740991
      },
      "weightDecay": {
        "default": 0,
        "type": "number",
        "minimum": 0
      },
      "adamBeta1": {
        "default": 0.9,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamBeta2": {
        "default": 0.999,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamEps": {
        "default": 1e-8,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "maxGradNorm": {
        "default": 1,
        "type": "number",
        "minimum": 0
      },
      "evalFraction": {
        "default": 0.1,
        "type": "number",
        "minimum": 0,
        "maximum": 0.5
      },
      "evalEvery": {
        "default": 25,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "checkpointEvery": {
        "default": 100,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "seed": {
        "default": 0,
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      }
    },
    "additionalProperties": false
  },
  "ppo": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
      "steps": {
        "default": 100,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "batchSize": {
        "default": 16,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "miniBatchSize": {
        "default": 8,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "microBatchSize": {
        "default": 8,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "ppoEpochs": {
        "default": 4,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "maxNewTokens": {
        "default": 32,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "maxPromptTokens": {
        "default": null,
        "anyOf": [
          {
            "type": "integer",
            "exclusiveMinimum": 0,
            "maximum": 9007199254740991
          },
          {
            "type": "null"
          }
        ]
      },
      "temperature": {
        "default": 0.7,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "lr": {
        "default": 0.00001,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "minLrRatio": {
        "default": 1,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "warmupSteps": {
        "default": 0,
        "type": "integer",
        "minimum": 0,
        "maximum": 9007199254740991
      },
      "adamBeta1": {
        "default": 0.9,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamBeta2": {
        "default": 0.999,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "adamEps": {
        "default": 0.00001,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "maxGradNorm": {
        "default": 1,
        "type": "number",
        "minimum": 0
      },
      "gamma": {
        "default": 1,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "lam": {
        "default": 0.95,
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "clipRange": {
        "default": 0.2,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "clipRangeValue": {
        "default": 0.2,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "vfCoef": {
        "default": 0.1,
        "type": "number",
        "minimum": 0
      },
      "klCoef": {
        "default": 0.02,
        "type": "number",
        "minimum": 0
      },
      "klTarget": {
        "default": 6,
        "anyOf": [
          {
            "type": "number",
            "exclusiveMinimum": 0
          },
          {
            "type": "null"
          }
        ]
      },
      "klHorizon": {
        "default": 10000,
        "type": "number",
        "exclusiveMinimum": 0
      },
      "whitenRewards": {
        "default": false,
        "type": "boolean"
      },
      "missingEosPenalty": {
        "default": null,
        "type": [
          "number",
          "null"
        ]
      },
      "ptxCoef": {
        "default": 0,
        "type": "number",
        "minimum": 0
      },
      "ptxBatchSize": {
        "default": 4,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "checkpointEvery": {
        "default": 10,
        "type": "integer",
        "exclusiveMinimum": 0,
        "maximum": 9007199254740991
      },
      "seed": {
        "default": 0,
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      }
    },
    "additionalProperties": false
  }
} as const;
