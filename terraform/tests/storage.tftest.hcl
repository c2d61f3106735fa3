# The storage module with a mocked AWS provider. Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "imagegen-dev-images-20260101000000000000000001"
      arn = "arn:aws:s3:::imagegen-dev-images-20260101000000000000000001"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name_prefix          = "imagegen-dev"
  cors_allowed_origins = ["https://main.d1example.amplifyapp.com"]
}

run "private_bucket" {
  command = plan

  module {
    source = "./modules/storage"
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls
      && aws_s3_bucket_public_access_block.this.block_public_policy
      && aws_s3_bucket_public_access_block.this.ignore_public_acls
      && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "Objects must be encrypted at rest (SSE-S3)."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.tls_only.statement :
      statement.effect == "Deny" && contains(statement.actions, "s3:*")
      && anytrue([for condition in statement.condition : condition.variable == "aws:SecureTransport" && contains(condition.values, "false")])
      && contains(statement.resources, "arn:aws:s3:::imagegen-dev-images-20260101000000000000000001/*")
    ])
    error_message = "The bucket policy must deny every request that does not use TLS."
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.this.rule :
      try(rule.filter[0].prefix, null) == "generated/" && try(rule.expiration[0].days, null) == 30
    ])
    error_message = "Generated images must expire after generated_image_expiration_days (30)."
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this.rule) == 2
    error_message = "By default only the multipart cleanup and the generated/ expiry rules exist (users/ is kept)."
  }

  assert {
    condition = (
      one(aws_s3_bucket_cors_configuration.this.cors_rule).allowed_origins == toset(["https://main.d1example.amplifyapp.com"])
      && one(aws_s3_bucket_cors_configuration.this.cors_rule).allowed_methods == toset(["GET", "POST"])
      && length(coalesce(one(aws_s3_bucket_cors_configuration.this.cors_rule).allowed_headers, [])) == 0
      && length(coalesce(one(aws_s3_bucket_cors_configuration.this.cors_rule).expose_headers, [])) == 0
    )
    error_message = "Browsers may only read (GET) and upload with a pre-signed POST, from the SPA origin only, without custom headers: no PUT, DELETE or HEAD."
  }

  assert {
    condition     = aws_s3_bucket.this.bucket_prefix == "imagegen-dev-images-" && aws_s3_bucket.this.force_destroy
    error_message = "The bucket name must get a unique suffix, and destroy must be able to empty it."
  }
}

run "user_images_expire_when_asked" {
  command = plan

  module {
    source = "./modules/storage"
  }

  variables {
    user_image_expiration_days = 7
  }

  assert {
    condition     = anytrue([for rule in aws_s3_bucket_lifecycle_configuration.this.rule : try(rule.filter[0].prefix, null) == "users/" && try(rule.expiration[0].days, null) == 7])
    error_message = "user_image_expiration_days must add an expiry rule for users/."
  }
}

run "rejects_wildcard_origin" {
  command = plan

  module {
    source = "./modules/storage"
  }

  variables {
    cors_allowed_origins = ["*"]
  }

  expect_failures = [var.cors_allowed_origins]
}
