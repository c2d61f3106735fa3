locals {
  log_group_name = "/aws/lambda/${var.name}"
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-role"
  description        = "Execution role of the ${var.name} Lambda function."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-access"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

# Written here rather than with the managed AWSLambdaBasicExecutionRole, so the role can write to
# its own log group only (the managed policy allows every log group in the account).
data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.enable_xray ? [1] : []

    content {
      sid = "SendTraces"
      # X-Ray trace APIs do not support resource-level permissions.
      # https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "${var.name}-logs"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.logs.json
}

# Created before the function so Lambda never creates it itself (without retention, and left
# behind by terraform destroy).
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  filename                       = var.package_path
  source_code_hash               = fileexists(var.package_path) ? filebase64sha256(var.package_path) : null
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  memory_size                    = var.memory_size_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tracing_config {
    mode = var.enable_xray ? "Active" : "PassThrough"
  }

  lifecycle {
    precondition {
      condition     = fileexists(var.package_path)
      error_message = "The deployment package ${var.package_path} does not exist. Run `npm run build` at the repository root first."
    }
  }

  # The policies must be in place before the first invocation can log or call anything.
  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy.logs]
}
