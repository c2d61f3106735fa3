# The function module with a placeholder package and a mocked AWS provider.
# Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/imagegen-dev-generate-role"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/imagegen-dev-generate"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name         = "imagegen-dev-generate"
  package_path = "./tests/fixtures/packages/generate.zip"
  policy_json  = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/generated/*\"}]}"
  environment  = { BUCKET_NAME = "bucket" }
}

run "defaults" {
  command = plan

  module {
    source = "./modules/function"
  }

  assert {
    condition = (
      aws_lambda_function.this.runtime == "nodejs22.x"
      && aws_lambda_function.this.handler == "index.handler"
      && aws_lambda_function.this.architectures[0] == "arm64"
      && aws_lambda_function.this.timeout == 28
    )
    error_message = "Functions run index.handler on nodejs22.x (arm64) with a timeout inside API Gateway's 29 s."
  }

  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("./tests/fixtures/packages/generate.zip")
    error_message = "source_code_hash must be the package's base64 SHA-256, so code changes redeploy."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["BUCKET_NAME"] == "bucket"
    error_message = "Environment variables must reach the function."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == var.policy_json && aws_iam_role.this.name == "imagegen-dev-generate-role"
    error_message = "The function's own role must carry the given policy inline."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/imagegen-dev-generate" && aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "The function's log group must be managed, with retention."
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == null && aws_lambda_function.this.tracing_config[0].mode == "PassThrough"
    error_message = "By default the function is unreserved and not actively traced."
  }
}

run "worker_with_cost_guard_and_tracing" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    timeout_seconds      = 900
    reserved_concurrency = 3
    enable_xray          = true
  }

  assert {
    condition = (
      aws_lambda_function.this.timeout == 900
      && aws_lambda_function.this.reserved_concurrent_executions == 3
      && aws_lambda_function.this.tracing_config[0].mode == "Active"
      && length([for statement in data.aws_iam_policy_document.logs.statement : statement if statement.sid == "SendTraces"]) == 1
    )
    error_message = "Timeout, reserved concurrency and X-Ray (with its permission) must follow the variables."
  }
}

run "missing_package_fails_at_plan" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    package_path = "./tests/fixtures/packages/not-built.zip"
  }

  expect_failures = [aws_lambda_function.this]
}

run "rejects_timeout_over_lambda_limit" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    timeout_seconds = 901
  }

  expect_failures = [var.timeout_seconds]
}
