#!/usr/bin/env sh
# Makes the simulator's sample media (committed; run again only to change them). Needs ffmpeg
# (Debian: apt-get install -y ffmpeg) and the DejaVu fonts.
#   sample.mp4      6 s, 480x270, 24 fps, H.264 (main, yuv420p, faststart), no audio: plays in n8n's player
#   thumbnail.jpg   the frame at 1 s, the job's thumbnail_image_url
#   first-frame.jpg 640x360 image for the image-to-video example (short side > 300 px, as GMI asks)
set -eu
cd "$(dirname "$0")"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "gradients=s=480x270:rate=24:duration=6:speed=0.015:n=3:c0=0x3b1c6e:c1=0xa35fd1:c2=0xc8844a:seed=7" \
	-vf "drawtext=fontfile=$FONT:text='Hailuo simulator':fontcolor=white@0.9:fontsize=30:x=(w-tw)/2:y=(h-th)/2-12:shadowcolor=black@0.4:shadowx=2:shadowy=2,drawtext=fontfile=$FONT:text='sample video %{eif\:t+1\:d}/6 s':fontcolor=white@0.8:fontsize=16:x=(w-tw)/2:y=(h/2)+24" \
	-c:v libx264 -profile:v main -pix_fmt yuv420p -crf 30 -preset veryslow -movflags +faststart -an sample.mp4
ffmpeg -hide_banner -loglevel error -y -ss 1 -i sample.mp4 -frames:v 1 -q:v 5 thumbnail.jpg
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=s=640x360:start_scale=2.5:end_scale=2.5" -frames:v 1 -q:v 6 first-frame.jpg
