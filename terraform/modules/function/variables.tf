variable "name" {
  type        = string
  description = "Lambda function name; also names its IAM role and its log group (/aws/lambda/<name>)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,59}$", var.name))
    error_message = "name must be 1-59 characters of letters, digits, dashes or underscores (the role name adds \"-role\" and IAM allows 64)."
  }
}

variable "description" {
  type        = string
  description = "Human-readable purpose of the function, shown in the Lambda console."
  default     = ""
}

variable "package_path" {
  type        = string
  description = "Path of the deployment zip written by `npm run build` (dist/functions/<name>.zip). It must exist at plan time."
}

variable "handler" {
  type        = string
  description = "Entry point inside the zip, as file.export."
  default     = "index.handler"
}

variable "runtime" {
  type        = string
  description = "Lambda runtime identifier. nodejs22.x is the newest Node.js runtime that both AWS provider 5.100 and 6.x accept."
  default     = "nodejs22.x"

  validation {
    condition     = can(regex("^nodejs[0-9]+\\.x$", var.runtime))
    error_message = "runtime must be a Node.js runtime such as \"nodejs22.x\"; the bundles are JavaScript."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set: arm64 (cheaper per GB-second) or x86_64. The esbuild bundles are pure JavaScript, so both work."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size_mb" {
  type        = number
  description = "Memory in MB (Lambda allows 128 to 10240); CPU scales with it."
  default     = 1024

  validation {
    condition     = var.memory_size_mb >= 128 && var.memory_size_mb <= 10240
    error_message = "memory_size_mb must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Maximum run time in seconds (Lambda allows 1 to 900). Keep functions behind API Gateway at or below 29, its integration timeout."
  default     = 28

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "environment" {
  type        = map(string)
  description = "Environment variables passed to the function (names as the code reads them)."
  default     = {}
}

variable "policy_json" {
  type        = string
  description = "IAM policy document (JSON) with everything the function may do besides writing its own logs and traces; attached inline to its role."
}

variable "log_retention_days" {
  type        = number
  description = "Days to keep the function's CloudWatch logs. Must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrent executions, a hard cap on parallel runs (cost guard). null leaves the function unreserved; 0 disables it. The account must keep 100 unreserved, so small or new accounts may reject any value."
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 0, false)
    error_message = "reserved_concurrency must be null or a whole number of at least 0."
  }
}

variable "enable_xray" {
  type        = bool
  description = "Turn on active AWS X-Ray tracing and grant the role permission to send traces."
  default     = false
}
