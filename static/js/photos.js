// Make a photo small on the phone before it is stored: a photo straight from the camera is
// several megabytes, and a few hundred kilobytes show everything the police need.

// Returns { blob, type, width, height }: a JPEG whose longest side is at most `size` pixels.
export async function scaleDown(file, size) {
  const image = await decode(file);
  const scale = Math.min(1, size / Math.max(image.width, image.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
  image.close?.();
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("The photo could not be encoded"))), "image/jpeg", 0.82),
  );
  return { blob, type: blob.type, width: canvas.width, height: canvas.height };
}

// The camera's orientation is applied, so the photo stands the right way up.
async function decode(file) {
  if (typeof createImageBitmap === "function") return createImageBitmap(file, { imageOrientation: "from-image" });
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}
