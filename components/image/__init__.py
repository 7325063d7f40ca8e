"""The handler's container image: the `Image` component and its helpers (ECR, the build context's content
tag, the RDS CA bundle's pin)."""

from components.image.image import DEFAULT_FORCE_DELETE, DEFAULT_KEEP_IMAGES, Image, ImageArgs, check_settings

__all__ = ["DEFAULT_FORCE_DELETE", "DEFAULT_KEEP_IMAGES", "Image", "ImageArgs", "check_settings"]
